package dev.quiesce.queue;

import dev.quiesce.api.JobState;
import dev.quiesce.job.Job;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A job's history, kept in its own row ({@code jobs.history}) so that it costs no extra statement: each write that
 * changes what happens to a job (a claim, a failed attempt that retries, a hand-back, a reclaim, an operator's retry)
 * appends one line in the same UPDATE. Lines are {@code "\n<instant> <what>"}, the instant from the writer's clock;
 * the column keeps the newest {@link #MAX_CHARS} characters, so a job retried forever drops its oldest lines.
 * What the row's own columns already say (enqueued, finished and how) is not written but read back from them.
 */
final class JobHistory {

    static final int MAX_CHARS = 4000;
    /** A stored stack trace keeps its head (where it was thrown and the caller chain). */
    static final int MAX_TRACE_CHARS = 16_000;

    private JobHistory() {
    }

    /** SQL for the column's new value: the old lines and {@code entrySql}, which must start with {@link #now()}. */
    static String append(String entrySql) {
        return "RIGHT(COALESCE(history, '') || " + entrySql + ", " + MAX_CHARS + ")";
    }

    /** The start of one entry: a line break and the instant. */
    static String now() {
        return "\n" + Instant.now() + " ";
    }

    static String boundTrace(String trace) {
        return trace == null || trace.length() <= MAX_TRACE_CHARS ? trace : trace.substring(0, MAX_TRACE_CHARS) + "\n\t...";
    }

    /** The stored lines with the ones the row's columns imply, oldest first. */
    static List<JobDetail.Event> events(Job job, String history) {
        List<JobDetail.Event> events = new ArrayList<>();
        // Scheduled: a run time clearly after the enqueue (both are taken within the same instant otherwise).
        boolean scheduled = job.runAt().isAfter(job.createdAt().plusSeconds(1));
        events.add(new JobDetail.Event(job.createdAt(), "enqueued" + (scheduled ? ", to run at " + job.runAt() : "")));
        if (history != null && !history.isEmpty()) {
            String[] lines = history.split("\n");
            // A full column was cut at the front: its first line may be a fragment.
            int first = history.length() >= MAX_CHARS ? 1 : 0;
            for (int i = first; i < lines.length; i++) {
                JobDetail.Event event = parse(lines[i]);
                if (event != null) {
                    events.add(event);
                }
            }
        }
        if (job.finishedAt() != null && job.state().isTerminal()) {
            events.add(new JobDetail.Event(job.finishedAt(), finished(job)));
        }
        return events;
    }

    private static String finished(Job job) {
        return switch (job.state()) {
            case SUCCEEDED -> "succeeded (attempt " + job.attempts() + ")";
            case FAILED -> "failed: " + firstLine(job.lastError());
            case CANCELLED -> "cancelled" + (job.lastError() == null ? "" : ": " + firstLine(job.lastError()));
            default -> job.state().name();
        };
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int end = text.indexOf('\n');
        String line = end < 0 ? text : text.substring(0, end);
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    private static JobDetail.Event parse(String line) {
        int space = line.indexOf(' ');
        if (space <= 0) {
            return null;
        }
        try {
            return new JobDetail.Event(Instant.parse(line.substring(0, space)), line.substring(space + 1));
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}

package dev.quiesce.console;

import dev.quiesce.api.JobState;
import dev.quiesce.job.Job;
import dev.quiesce.queue.JobDetail;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

import java.util.List;

/**
 * A job's page, formatted for reading: the payload and result pretty-printed, times in UTC, progress in percent,
 * and which actions its state allows.
 */
public record JobView(Job job, String payload, String result, Integer progressPercent, String runner, String errorTrace,
               List<Event> history, String created, String runAt, String started, String finished) {

    /** One history line. */
    public record Event(String at, String what) {
    }

    static JobView of(JobDetail detail, ObjectMapper json) {
        Job job = detail.job();
        Integer percent = detail.progress() == null ? null : (int) Math.round(100 * detail.progress());
        return new JobView(job, pretty(job.payload(), json), pretty(job.result(), json), percent, detail.runner(),
                detail.errorTrace(),
                detail.history().stream().map(e -> new Event(ConsoleTime.format(e.at()), e.what())).toList(),
                ConsoleTime.format(job.createdAt()), ConsoleTime.format(job.runAt()),
                ConsoleTime.format(job.startedAt()), ConsoleTime.format(job.finishedAt()));
    }

    /** While it is queued or running the page refreshes itself. */
    public boolean live() {
        return !job.state().isTerminal();
    }

    public boolean running() {
        return job.state() == JobState.RUNNING;
    }

    public boolean retryable() {
        return job.state() == JobState.FAILED || job.state() == JobState.CANCELLED;
    }

    public boolean cancellable() {
        return !job.state().isTerminal();
    }

    public boolean deletable() {
        return job.state().isTerminal();
    }

    /** JSON indented for reading; text that is not JSON (a handler's plain result) as it is. */
    static String pretty(String text, ObjectMapper json) {
        if (text == null || text.isBlank()) {
            return text;
        }
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(json.readTree(text));
        } catch (JacksonException notJson) {
            return text;
        }
    }
}

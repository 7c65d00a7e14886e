package dev.quiesce.console;

import dev.quiesce.job.Job;

/** One line of the jobs table, formatted for reading. (Public, as the other view records, for the templates.) */
public record JobRow(long id, String type, String state, int attempts, int maxAttempts, int priority, String created,
              String runAt, String finished, String error) {

    /** The first line of the last error is enough to recognise it; the job's page has the rest. */
    private static final int ERROR_WIDTH = 160;

    static JobRow of(Job job) {
        return new JobRow(job.id(), job.type(), job.state().name(), job.attempts(), job.maxAttempts(), job.priority(),
                ConsoleTime.format(job.createdAt()), ConsoleTime.format(job.runAt()),
                ConsoleTime.format(job.finishedAt()), firstLine(job.lastError()));
    }

    static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        String line = text.strip().lines().findFirst().orElse("");
        return line.length() <= ERROR_WIDTH ? line : line.substring(0, ERROR_WIDTH - 1) + "…";
    }
}

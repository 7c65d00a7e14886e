package dev.quiesce.dispatch;

import dev.quiesce.queue.JobQueue.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * A job's log lines carry its id and type (MDC keys {@code jobId} and {@code jobType}, also in Boot's structured
 * JSON logs) while it runs on a thread of the service, and each failed attempt logs one line with its error (the
 * stack trace is stored with the job, not logged). Successes are not logged: at thousands per second they would
 * drown everything else.
 */
final class AttemptLog {

    static final String JOB_ID = "jobId";
    static final String JOB_TYPE = "jobType";
    private static final Logger log = LoggerFactory.getLogger("dev.quiesce.jobs");
    private static final int MAX_TRACE_CHARS = 16_000;

    private AttemptLog() {
    }

    static void started(Execution execution) {
        MDC.put(JOB_ID, Long.toString(execution.id()));
        MDC.put(JOB_TYPE, execution.job().type());
    }

    /** Logs a failed attempt (if it was one) and clears the MDC keys {@link #started} set. */
    static void ended(Execution execution, Outcome outcome) {
        try {
            int attempt = execution.job().attempts();
            int max = execution.job().maxAttempts();
            switch (outcome) {
                case Outcome.Failed failed -> log.warn("Job {} ({}) attempt {}/{} failed{}: {}", execution.id(),
                        execution.job().type(), attempt, max,
                        failed.retryable() && attempt < max ? ", will retry" : ", no retry", failed.error());
                case Outcome.Crashed crashed -> log.warn("Job {} ({}) attempt {}/{} crashed its worker: {}", execution.id(),
                        execution.job().type(), attempt, max, crashed.error());
                case null, default -> {
                }
            }
        } finally {
            MDC.remove(JOB_ID);
            MDC.remove(JOB_TYPE);
        }
    }

    /** The failure's stack trace, bounded (the head: where it was thrown). */
    static String trace(Throwable failure) {
        StringWriter text = new StringWriter();
        failure.printStackTrace(new PrintWriter(text));
        String trace = text.toString();
        return trace.length() <= MAX_TRACE_CHARS ? trace : trace.substring(0, MAX_TRACE_CHARS) + "\n\t...";
    }
}

package dev.quiesce.job.builtin;

import dev.quiesce.api.JobContext;
import dev.quiesce.api.JobHandler;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Fault job {@code leave-thread} {@code {"ms": 60000, "daemon": false}}: starts a thread that sleeps that long
 * and returns at once, leaving it running — a job that forgets a thread it started. The service counts a
 * {@code thread} leak, outstanding until the thread ends; a non-daemon one still alive at shutdown is named in
 * the report. The thread ends early if interrupted.
 */
@Component
@ConditionalOnBooleanProperty(BuiltinProperties.FAULT_TYPES)
class LeaveThreadJob implements JobHandler<JsonNode> {

    @Override
    public String type() {
        return "leave-thread";
    }

    @Override
    public String description() {
        return "Fault type: leaves a thread running for {\"ms\"} milliseconds (counted as a leak).";
    }

    @Override
    public void validate(JsonNode payload) {
        Payloads.requireObject(payload, type());
        Payloads.optionalLong(payload, "ms", 0, SleepJob.MAX_MS, 60_000);
        Payloads.optionalBoolean(payload, "daemon", false);
    }

    @Override
    public String run(JsonNode payload, JobContext context) {
        long ms = Payloads.optionalLong(payload, "ms", 0, SleepJob.MAX_MS, 60_000);
        boolean daemon = Payloads.optionalBoolean(payload, "daemon", false);
        Thread thread = new Thread(() -> {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // asked to end early: end
            }
        }, "left-by-job-" + context.jobId());
        thread.setDaemon(daemon);
        thread.start();
        return "left thread " + thread.getName() + " running for " + ms + " ms";
    }
}

package dev.quiesce.job.builtin;

import dev.quiesce.api.JobContext;
import dev.quiesce.api.JobHandler;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;

/**
 * {@code ignore-interrupt} {@code {"ms": N, "scratch": false}}: busy-waits N ms and ignores interrupts and
 * cancellation — a stand-in for uninterruptible work, to exercise the release-at-the-deadline path. With
 * {@code scratch} it first writes a file into its scratch directory, which an abandoned run leaves for the
 * shutdown audit to find.
 */
@Component
@ConditionalOnBooleanProperty(BuiltinProperties.FAULT_TYPES)
class IgnoreInterruptJob implements JobHandler<JsonNode> {

    @Override
    public String type() {
        return "ignore-interrupt";
    }

    @Override
    public String description() {
        return "Fault type: ignores cancellation for {\"ms\"} milliseconds, to show the release path.";
    }

    @Override
    public void validate(JsonNode payload) {
        Payloads.requireObject(payload, type());
        Payloads.requiredLong(payload, "ms", 0, SleepJob.MAX_MS);
        Payloads.optionalBoolean(payload, "scratch", false);
    }

    @Override
    public String run(JsonNode payload, JobContext context) throws IOException {
        long ms = Payloads.requiredLong(payload, "ms", 0, SleepJob.MAX_MS);
        if (Payloads.optionalBoolean(payload, "scratch", false)) {
            Files.writeString(context.scratchDir().resolve("work-in-progress.tmp"), "job " + context.jobId());
        }
        long end = System.nanoTime() + ms * 1_000_000;
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
            // Deliberately swallow the interrupt flag: this job's purpose is to ignore it.
            Thread.interrupted();
            parkBriefly();
        }
        return "ignored interrupts for " + ms + " ms";
    }

    /** Keeps the busy wait from burning a whole core while still never reacting to an interrupt. */
    private static void parkBriefly() {
        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
}

package dev.quiesce.job.builtin;

import dev.quiesce.api.JobContext;
import dev.quiesce.api.JobHandler;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/** {@code sleep} {@code {"ms": N}}: waits N ms, returning early (interrupted) when cancelled; reports progress when N ≥ 2 s. */
@Component
class SleepJob implements JobHandler<JsonNode> {

    private final JournalDirectory journal;

    SleepJob(JournalDirectory journal) {
        this.journal = journal;
    }

    static final long MAX_MS = 24L * 3600 * 1000;

    @Override
    public String type() {
        return "sleep";
    }

    @Override
    public String description() {
        return "Waits {\"ms\": 0..86400000} milliseconds, returning early when cancelled; optional \"journal\" file (quiesce.builtin.journal-dir).";
    }

    @Override
    public void validate(JsonNode payload) {
        Payloads.requireObject(payload, type());
        Payloads.requiredLong(payload, "ms", 0, MAX_MS);
        journal.file(payload);
    }

    @Override
    public String run(JsonNode payload, JobContext context) throws Exception {
        long ms = Payloads.requiredLong(payload, "ms", 0, MAX_MS);
        // In slices of at most a second, reporting progress after each (the console shows it for a long sleep).
        long deadline = System.nanoTime() + ms * 1_000_000;
        for (long left = ms; left > 0; left = (deadline - System.nanoTime()) / 1_000_000) {
            Thread.sleep(Math.min(left, 1000));
            if (ms >= 2000) {
                context.progress(1.0 - Math.max(0, deadline - System.nanoTime()) / (ms * 1e6));
            }
        }
        context.throwIfCancelled();
        journal.append(payload, context.jobId());
        return "slept " + ms + " ms";
    }
}

package dev.quiesce.child.worker.task;

import dev.quiesce.api.child.ChildTask;
import dev.quiesce.api.child.TaskContext;

import java.nio.file.Path;
import java.util.Optional;

/** {@code sleep} {@code {"ms": N, "journal": "/abs/path"?}}: waits N ms; a cancel interrupts the wait. */
public final class SleepTask implements ChildTask {

    static final long MAX_MS = 24L * 3600 * 1000;

    @Override
    public String type() {
        return "sleep";
    }

    @Override
    public String run(TaskContext context) throws Exception {
        long ms = context.requiredLong("ms", 0, MAX_MS);
        Optional<Path> journal = Journal.of(context);
        if (ms > 0) {
            Thread.sleep(ms);
        }
        if (context.isCancelled()) {
            throw new InterruptedException("sleep job " + context.jobId() + " cancelled");
        }
        Journal.append(journal, context.jobId());
        return "slept " + ms + " ms";
    }
}

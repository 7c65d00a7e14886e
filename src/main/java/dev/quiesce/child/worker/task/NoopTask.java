package dev.quiesce.child.worker.task;

import dev.quiesce.api.child.ChildTask;
import dev.quiesce.api.child.TaskContext;

/** {@code noop}: returns {@code ok} at once; what the throughput benchmark measures is the round trip. */
public final class NoopTask implements ChildTask {

    @Override
    public String type() {
        return "noop";
    }

    @Override
    public String run(TaskContext context) {
        return "ok";
    }
}

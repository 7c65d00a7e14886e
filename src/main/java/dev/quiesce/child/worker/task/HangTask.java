package dev.quiesce.child.worker.task;

import dev.quiesce.api.child.ChildTask;
import dev.quiesce.api.child.TaskContext;

/**
 * Fault task {@code hang}: never returns and ignores cancels and interrupts, so that only killing the
 * child (the service's cancel-grace and stop deadline) ends it.
 */
public final class HangTask implements FaultTask {

    @Override
    public String type() {
        return "hang";
    }

    @Override
    public String run(TaskContext context) {
        while (true) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                // Swallowed on purpose: this task exists to ignore cancellation.
            }
        }
    }
}

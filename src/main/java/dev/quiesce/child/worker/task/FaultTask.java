package dev.quiesce.child.worker.task;

import dev.quiesce.api.child.ChildTask;

/**
 * A built-in task that misbehaves on purpose (crashes, hangs, leaks), to show and test what the pool does about it.
 * The service offers these types only with {@code quiesce.builtin.fault-types=true}.
 */
public interface FaultTask extends ChildTask {
}

package dev.quiesce.child.worker.task;

import dev.quiesce.child.worker.ChildExitCode;
import dev.quiesce.api.child.ChildTask;
import dev.quiesce.api.child.TaskContext;

/**
 * Fault task {@code crash}: halts the child JVM at once with {@link ChildExitCode#CRASH_TASK} — no result,
 * no shutdown hook, as a JVM crash would.
 */
public final class CrashTask implements FaultTask {

    @Override
    public String type() {
        return "crash";
    }

    @Override
    public String run(TaskContext context) {
        System.err.println("crash task of job " + context.jobId() + ": halting with " + ChildExitCode.CRASH_TASK.code());
        Runtime.getRuntime().halt(ChildExitCode.CRASH_TASK.code());
        throw new AssertionError("halt returned");
    }
}

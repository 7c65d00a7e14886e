package dev.quiesce.child.worker.task;

import dev.quiesce.api.child.ChildTask;
import dev.quiesce.api.child.TaskContext;

/**
 * Fault task {@code exit} {@code {"spawnSeconds": 0}}: calls {@code System.exit(0)} mid-task, as careless
 * library code might. The child ends with status 0 and no result; its shutdown hook still kills its
 * descendants — with {@code spawnSeconds} > 0 the task first starts a {@code sleep} of that many seconds
 * to show it.
 */
public final class ExitTask implements FaultTask {

    @Override
    public String type() {
        return "exit";
    }

    @Override
    public String run(TaskContext context) throws Exception {
        long spawnSeconds = context.optionalLong("spawnSeconds", 0, 24L * 3600, 0);
        if (spawnSeconds > 0) {
            System.out.println("exit task of job " + context.jobId() + ": started sleep " + spawnSeconds + " as pid "
                    + SpawnTask.startChild(spawnSeconds));
        }
        System.out.println("exit task of job " + context.jobId() + ": System.exit(0)");
        System.exit(0);
        throw new AssertionError("System.exit returned");
    }
}

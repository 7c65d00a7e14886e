package dev.quiesce.child.worker.task;

import dev.quiesce.api.child.ChildTask;
import dev.quiesce.api.child.TaskContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Fault task {@code oom}: allocates 1 MiB blocks and keeps them until the heap is exhausted. What follows
 * is the JVM options' choice: with {@code -XX:+ExitOnOutOfMemoryError} the child exits with code 3;
 * without it the error fails the task ({@code OutOfMemoryError: Java heap space}) and the blocks become
 * garbage once it has propagated.
 */
public final class OomTask implements FaultTask {

    @Override
    public String type() {
        return "oom";
    }

    @Override
    public String run(TaskContext context) {
        List<byte[]> retained = new ArrayList<>();
        while (true) {
            retained.add(new byte[1 << 20]);
        }
    }
}

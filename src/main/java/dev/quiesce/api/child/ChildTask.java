package dev.quiesce.api.child;

/**
 * A job type that runs in a child JVM, found there with {@link java.util.ServiceLoader}: list implementations in
 * {@code META-INF/services/dev.quiesce.api.child.ChildTask}. It may live in any package and use its own libraries
 * (they are on the child's class path beside it), but not Spring: the child starts without it, in about 100 ms, and
 * without the service's beans. Declare a {@link dev.quiesce.api.ChildJobType} bean in the service to have payloads
 * checked at enqueue time.
 *
 * <p>One task runs at a time on the child's task thread. Cancellation interrupts that thread and makes
 * {@link TaskContext#isCancelled()} true; a task that ends by throwing after a cancel is reported as
 * {@code cancelled}. Processes a task leaves behind are killed when it ends, and counted.
 */
public interface ChildTask {

    /** The job type this task runs, e.g. {@code sleep}; unique among the tasks on the class path. */
    String type();

    /** Runs one job and returns its result text; an exception fails the job with its message. */
    String run(TaskContext context) throws Exception;
}

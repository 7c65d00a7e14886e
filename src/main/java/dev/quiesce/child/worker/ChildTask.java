package dev.quiesce.child.worker;

/**
 * A kind of work a child JVM can run, found with {@link java.util.ServiceLoader} (list implementations in
 * {@code META-INF/services/dev.quiesce.child.worker.ChildTask}). Implementations must import nothing but
 * the JDK: the child starts without Spring or any library so that it is ready in about 100 ms.
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

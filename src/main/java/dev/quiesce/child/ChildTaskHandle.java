package dev.quiesce.child;

/** A task running in a child JVM. */
public interface ChildTaskHandle {

    long jobId();

    /** The pid of the child JVM running the task. */
    long pid();

    /** Asks the child to stop the task (a Cancel frame: the task is interrupted and ends FAILED "cancelled"). */
    void cancel();

    /** Kills the child's process tree now and replaces the child; the task ends {@code KILLED}. */
    void kill();
}

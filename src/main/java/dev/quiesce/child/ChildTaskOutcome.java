package dev.quiesce.child;

/**
 * How a task in a child ended. {@code SUCCEEDED}/{@code FAILED} come from the child's Result frame (the text
 * is the result or the error); {@code CRASHED}: the child died or broke the protocol mid-task (count it
 * toward quarantine); {@code TIMED_OUT}: the task outran {@code quiesce.children.task-timeout};
 * {@code KILLED}: {@link ChildTaskHandle#kill()} was called or the pool stopped under it.
 */
public record ChildTaskOutcome(Kind kind, String text) {

    public enum Kind { SUCCEEDED, FAILED, CRASHED, TIMED_OUT, KILLED }
}

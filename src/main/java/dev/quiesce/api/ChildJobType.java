package dev.quiesce.api;

/**
 * The service-side declaration of a job type that runs in a child JVM (a {@link dev.quiesce.api.child.ChildTask} of
 * the same type): declare it as a Spring bean so that the service checks the type's payload when the job is
 * enqueued, exactly as for a {@link JobHandler}: bound to {@code P} with Jackson, checked with Bean Validation, then
 * with {@link #validate}. A bad payload is refused with 400 and never reaches a child.
 *
 * <p>Without a declaration a child task's type is still accepted, with any JSON payload; the task then finds out at
 * run time, and the job fails.
 *
 * @param <P> the payload type, declared on the implementing class
 */
public interface ChildJobType<P> {

    /** The type, equal to the {@link dev.quiesce.api.child.ChildTask#type()} that runs it. */
    String type();

    /** One line on what the job does, shown in the OpenAPI document beside the payload's schema. */
    default String description() {
        return "";
    }

    /**
     * Checks what Bean Validation cannot, at enqueue time.
     *
     * @throws IllegalArgumentException with a message a client can act on
     */
    default void validate(P payload) {
    }
}

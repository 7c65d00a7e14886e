package dev.quiesce.api;

/**
 * A job type that runs in the service's own JVM, on one of its job threads: declare one Spring bean per type.
 *
 * <p>The payload a client sends is bound to {@code P} (a record, say) with Jackson and checked with Bean
 * Validation ({@code @NotBlank}, {@code @Min}, {@code @Valid} ...) when the job is enqueued, over HTTP or through
 * {@link Jobs}: a payload that does not bind or does not validate is refused with a message naming the field
 * ({@code payload.pages: must be greater than or equal to 1}), and nothing is written. Unknown fields are refused,
 * numbers are not read from strings and whole-number fields take no fractions. Use
 * {@code tools.jackson.databind.JsonNode} as {@code P} to take the raw JSON instead.
 *
 * <p>A handler must stop when asked: a client's cancel, a shutdown's drain deadline, a lost lease and the job's
 * timeout all set {@link JobContext#isCancelled()} and interrupt the thread. Blocking calls that honour interrupts
 * (sleeps, {@code Future.get}, NIO channels) end by themselves; loops should call
 * {@link JobContext#throwIfCancelled()}. A job the shutdown cancels is handed back to the queue and runs again
 * elsewhere, so an attempt must be safe to repeat.
 *
 * <pre>{@code
 * record Resize(@NotBlank String image, @Min(1) @Max(10_000) int width) {}
 *
 * @Component
 * class ResizeJob implements JobHandler<Resize> {
 *     public String type() { return "resize"; }
 *     public String run(Resize payload, JobContext context) throws Exception {
 *         Path out = context.scratchDir().resolve("out.png");
 *         ...
 *         context.progress(1.0);
 *         return "resized to " + payload.width();
 *     }
 * }
 * }</pre>
 *
 * @param <P> the payload type, declared on the implementing class so that it can be read at start-up
 */
public interface JobHandler<P> {

    /**
     * The job type this handler runs, e.g. {@code resize}: what a client posts as {@code type}. Unique among the
     * service's job types; letters, digits, {@code .}, {@code _} and {@code -}.
     */
    String type();

    /** One line on what the job does, shown in the OpenAPI document beside the payload's schema. */
    default String description() {
        return "";
    }

    /**
     * Checks what Bean Validation cannot (fields that depend on each other, say), at enqueue time, after binding
     * and Bean Validation passed.
     *
     * @throws IllegalArgumentException with a message a client can act on; the job is refused with it
     */
    default void validate(P payload) {
    }

    /**
     * Runs one attempt.
     *
     * @param payload the job's payload, bound and validated as at enqueue time
     * @return the result text stored on the job (may be null)
     * @throws InterruptedException when cancelled while waiting
     * @throws NonRetryableJobException when retrying cannot help: the job fails at once
     * @throws Exception any other failure: the attempt is retried (with back-off) while attempts remain
     */
    String run(P payload, JobContext context) throws Exception;
}

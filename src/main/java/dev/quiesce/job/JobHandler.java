package dev.quiesce.job;

import tools.jackson.databind.JsonNode;

/**
 * The in-process job SPI: one Spring bean per job type. A handler runs on a dispatcher thread; it must
 * honour cancellation ({@link JobContext#isCancelled()} or thread interruption) so that a shutdown can
 * drain it, and it keeps its temporary files in {@link JobContext#scratchDir()}, which is removed after it.
 */
public interface JobHandler {

    /** The job type this handler runs, e.g. {@code sleep}. Public: clients post it. */
    String type();

    /**
     * Checks a payload at enqueue time so that a bad one is rejected with 400 instead of failing later.
     *
     * @throws IllegalArgumentException with a message a client can act on
     */
    default void validate(JsonNode payload) {
    }

    /**
     * Runs one attempt.
     *
     * @return the result text stored on the job (may be null)
     * @throws InterruptedException when cancelled while waiting
     * @throws Exception            any failure; the attempt is retried while attempts remain
     */
    String run(JobContext context) throws Exception;
}

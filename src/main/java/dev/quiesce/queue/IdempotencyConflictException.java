package dev.quiesce.queue;

/**
 * An idempotency key was reused for a job of another type or payload: the existing job is not the one the
 * client describes, so neither is returned (the API answers 409).
 */
public class IdempotencyConflictException extends RuntimeException {

    private final long existingJobId;

    public IdempotencyConflictException(String idempotencyKey, long existingJobId) {
        super("idempotency key '" + idempotencyKey + "' already names job " + existingJobId
                + " with a different type or payload");
        this.existingJobId = existingJobId;
    }

    public long existingJobId() {
        return existingJobId;
    }
}

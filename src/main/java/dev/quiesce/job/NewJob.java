package dev.quiesce.job;

import java.time.Instant;
import java.util.Objects;

/**
 * A request to enqueue a job, already validated by the caller.
 *
 * @param payload        raw JSON text, never null ("null" when the client sent none)
 * @param idempotencyKey optional; re-enqueueing the same key returns the existing job
 * @param runAt          optional; null means "now" on the database clock
 */
public record NewJob(String type, String payload, int priority, int maxAttempts, String idempotencyKey, Instant runAt) {

    public static final int DEFAULT_MAX_ATTEMPTS = 5;

    public NewJob {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
    }

    public static NewJob of(String type, String payload) {
        return new NewJob(type, payload, 0, DEFAULT_MAX_ATTEMPTS, null, null);
    }
}

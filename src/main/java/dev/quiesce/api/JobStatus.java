package dev.quiesce.api;

import java.time.Instant;

/**
 * A job as the queue holds it, as {@link Jobs} returns it (the HTTP API shows the same fields).
 *
 * @param payloadJson  the payload as stored, JSON text ({@code null} for none)
 * @param result       what the handler returned, once it succeeded
 * @param lastError    why the last attempt failed, if it did
 * @param interruptions attempts handed back by a shutdown (they do not count as failures)
 * @param crashes      attempts whose child JVM died under them
 * @param created      false when an idempotency key matched an existing job (nothing was enqueued)
 */
public record JobStatus(long id, String type, JobState state, String payloadJson, int priority, int attempts,
                        int maxAttempts, int interruptions, int crashes, String result, String lastError,
                        String idempotencyKey, Instant createdAt, Instant runAt, Instant startedAt,
                        Instant finishedAt, boolean created) {
}

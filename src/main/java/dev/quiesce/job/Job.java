package dev.quiesce.job;

import dev.quiesce.api.JobState;

import java.time.Instant;

/**
 * A job as stored in the queue. {@code payload} is the raw JSON text the client sent; {@code result} is
 * the text the handler returned (null until it succeeded).
 */
public record Job(
        long id,
        String type,
        JobState state,
        String payload,
        int priority,
        int attempts,
        int maxAttempts,
        int interruptions,
        int crashes,
        String owner,
        String result,
        String lastError,
        String idempotencyKey,
        Instant createdAt,
        Instant runAt,
        Instant startedAt,
        Instant finishedAt) {
}

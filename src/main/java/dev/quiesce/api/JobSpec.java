package dev.quiesce.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A job to enqueue through {@link Jobs}. Immutable; the {@code with...} methods return a copy.
 *
 * @param type           the job type
 * @param payload        any object Jackson can write (the payload record of the type's handler, a {@code Map}, a
 *                       {@code JsonNode}), or null for none
 * @param priority       -1000..1000, higher first; null for 0
 * @param maxAttempts    1..100; null for 5
 * @param idempotencyKey 1..200 characters; enqueueing the same key again returns the existing job; null for none
 * @param runAt          not before this instant (at most {@code quiesce.queue.run-at-horizon} ahead); null for now
 */
public record JobSpec(String type, Object payload, Integer priority, Integer maxAttempts, String idempotencyKey,
                      Instant runAt) {

    public JobSpec {
        Objects.requireNonNull(type, "type");
    }

    public static JobSpec of(String type, Object payload) {
        return new JobSpec(type, payload, null, null, null, null);
    }

    public JobSpec withPriority(int priority) {
        return new JobSpec(type, payload, priority, maxAttempts, idempotencyKey, runAt);
    }

    public JobSpec withMaxAttempts(int maxAttempts) {
        return new JobSpec(type, payload, priority, maxAttempts, idempotencyKey, runAt);
    }

    public JobSpec withIdempotencyKey(String idempotencyKey) {
        return new JobSpec(type, payload, priority, maxAttempts, idempotencyKey, runAt);
    }

    public JobSpec withRunAt(Instant runAt) {
        return new JobSpec(type, payload, priority, maxAttempts, idempotencyKey, runAt);
    }
}

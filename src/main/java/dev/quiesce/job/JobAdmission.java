package dev.quiesce.job;

import dev.quiesce.api.InvalidJobException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.NullNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Decides whether a job may be enqueued, for the HTTP API and for {@link dev.quiesce.api.Jobs} alike: a known type, a
 * payload that binds and validates and fits {@code quiesce.queue.max-payload}, priority, attempts, idempotency key
 * and {@code runAt} within bounds. A refusal names the field ({@code jobs[3].payload.width: ...} inside a batch).
 */
public final class JobAdmission {

    public static final int MIN_PRIORITY = -1000;
    public static final int MAX_PRIORITY = 1000;
    public static final int MIN_MAX_ATTEMPTS = 1;
    public static final int MAX_MAX_ATTEMPTS = 100;
    public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 200;
    public static final int MAX_BATCH = 1000;

    private final JobTypes types;
    private final ObjectMapper mapper;
    private final long maxPayload;
    private final Duration runAtHorizon;

    public JobAdmission(JobTypes types, ObjectMapper mapper, long maxPayloadBytes, Duration runAtHorizon) {
        this.types = types;
        this.mapper = mapper;
        this.maxPayload = maxPayloadBytes;
        this.runAtHorizon = runAtHorizon;
    }

    /** A payload beyond {@code quiesce.queue.max-payload}: HTTP answers 413. */
    public static final class PayloadTooLarge extends InvalidJobException {
        PayloadTooLarge(String message) {
            super(message);
        }
    }

    /**
     * @param prefix put before every field name: "" for one job, "jobs[3]." inside a batch
     * @throws InvalidJobException naming the field
     */
    public NewJob admit(String type, JsonNode payload, Integer priority, Integer maxAttempts, String idempotencyKey,
                        Instant runAt, String prefix) {
        knownType(type, prefix);
        int checkedPriority = within(priority, 0, MIN_PRIORITY, MAX_PRIORITY, prefix + "priority");
        int checkedAttempts = within(maxAttempts, NewJob.DEFAULT_MAX_ATTEMPTS, MIN_MAX_ATTEMPTS, MAX_MAX_ATTEMPTS,
                prefix + "maxAttempts");
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY_LENGTH)) {
            throw new InvalidJobException(prefix + "idempotencyKey: must be 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH
                    + " characters and not blank, was " + idempotencyKey.length() + " characters");
        }
        Instant checkedRunAt = withinHorizon(runAt, prefix + "runAt");
        JsonNode tree = payload == null ? NullNode.getInstance() : payload;
        String payloadText = mapper.writeValueAsString(tree);
        long payloadBytes = payloadText.getBytes(StandardCharsets.UTF_8).length;
        if (payloadBytes > maxPayload) {
            throw new PayloadTooLarge(prefix + "payload: " + payloadBytes + " bytes of JSON exceed the limit of "
                    + maxPayload + " bytes (quiesce.queue.max-payload)");
        }
        try {
            types.validate(type, tree);
        } catch (IllegalArgumentException e) {
            throw new InvalidJobException(prefix + e.getMessage());
        }
        return new NewJob(type, payloadText, checkedPriority, checkedAttempts, idempotencyKey, checkedRunAt);
    }

    /** The size of a batch, checked before its jobs. */
    public void checkBatchSize(int size) {
        if (size < 1 || size > MAX_BATCH) {
            throw new InvalidJobException("jobs: must hold 1 to " + MAX_BATCH + " jobs, had " + size);
        }
    }

    /**
     * A {@code runAt} in the past means "as soon as possible" (a client's clock may lag), but not before the epoch
     * (databases differ on far-away years); one beyond the horizon would wait unseen for years.
     */
    private Instant withinHorizon(Instant runAt, String field) {
        if (runAt == null) {
            return null;
        }
        if (runAt.isBefore(Instant.EPOCH)) {
            throw new InvalidJobException(field + ": must not be before " + Instant.EPOCH + ", was " + runAt);
        }
        Instant latest = Instant.now().plus(runAtHorizon);
        if (runAt.isAfter(latest)) {
            throw new InvalidJobException(field + ": must be at most " + (runAtHorizon.toSeconds() % 86_400 == 0
                    ? runAtHorizon.toDays() + " days" : runAtHorizon.toString())
                    + " ahead (until " + latest.truncatedTo(ChronoUnit.SECONDS) + "; quiesce.queue.run-at-horizon), was " + runAt);
        }
        return runAt;
    }

    private void knownType(String type, String prefix) {
        if (type == null || type.isBlank()) {
            throw new InvalidJobException(prefix + "type: required; known types: " + knownTypes());
        }
        if (!types.isKnown(type)) {
            throw new InvalidJobException(prefix + "type: unknown type " + quoted(type) + "; known types: " + knownTypes());
        }
    }

    private String knownTypes() {
        return String.join(", ", types.types());
    }

    /** Echoes client input in a detail, cut short so that a huge value does not come back whole. */
    public static String quoted(String value) {
        return "'" + (value.length() <= 100 ? value : value.substring(0, 100) + "...") + "'";
    }

    private static int within(Integer value, int fallback, int min, int max, String field) {
        if (value == null) {
            return fallback;
        }
        if (value < min || value > max) {
            throw new InvalidJobException(field + ": must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }
}

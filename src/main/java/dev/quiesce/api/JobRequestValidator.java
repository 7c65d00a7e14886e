package dev.quiesce.api;

import dev.quiesce.job.JobTypes;
import dev.quiesce.job.JobState;
import dev.quiesce.job.NewJob;
import dev.quiesce.queue.QueueProperties;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.NullNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns what a client sent into what the queue accepts, or rejects it with a detail that names the field
 * ({@code maxAttempts: ...}, or {@code jobs[3].type: ...} inside a batch) and says what would be valid.
 * It checks everything before anything is enqueued, so a bad request changes nothing.
 */
@Component
class JobRequestValidator {

    static final int MIN_PRIORITY = -1000;
    static final int MAX_PRIORITY = 1000;
    static final int MIN_MAX_ATTEMPTS = 1;
    static final int MAX_MAX_ATTEMPTS = 100;
    static final int MAX_IDEMPOTENCY_KEY_LENGTH = 200;
    static final int MAX_BATCH = 1000;
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final JobTypes types;
    private final ObjectMapper mapper;
    private final long maxPayload;
    private final Duration runAtHorizon;

    JobRequestValidator(JobTypes types, ObjectMapper mapper, QueueProperties queue) {
        this.types = types;
        this.mapper = mapper;
        this.maxPayload = queue.maxPayload().toBytes();
        this.runAtHorizon = queue.runAtHorizon();
    }

    NewJob toNewJob(JobRequest request) {
        return toNewJob(request, "");
    }

    List<NewJob> toNewJobs(BatchRequest batch) {
        rejectUnknownFields(batch.unknownFields(), "", "jobs");
        List<JobRequest> requests = batch.jobs();
        if (requests == null || requests.isEmpty() || requests.size() > MAX_BATCH) {
            throw ProblemException.badRequest("jobs: must hold 1 to " + MAX_BATCH + " jobs, had "
                    + (requests == null ? 0 : requests.size()));
        }
        List<NewJob> jobs = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            String prefix = "jobs[" + i + "].";
            JobRequest request = requests.get(i);
            if (request == null) {
                throw ProblemException.badRequest("jobs[" + i + "]: must be a job object, was null");
            }
            jobs.add(toNewJob(request, prefix));
        }
        return jobs;
    }

    /** The {@code state} filter of a list query; null when absent. Case does not matter. */
    JobState state(String state) {
        if (state == null || state.isEmpty()) {
            return null;
        }
        try {
            return JobState.valueOf(state.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("state: unknown state " + quoted(state) + "; valid states: "
                    + Arrays.stream(JobState.values()).map(Enum::name).collect(Collectors.joining(", ")));
        }
    }

    int limit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ProblemException.badRequest("limit: must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        return limit;
    }

    private NewJob toNewJob(JobRequest request, String prefix) {
        rejectUnknownFields(request.unknownFields(), prefix, JobRequest.KNOWN_FIELDS);
        String type = knownType(request.type(), prefix);
        int priority = within(request.priority(), 0, MIN_PRIORITY, MAX_PRIORITY, prefix + "priority");
        int maxAttempts = within(request.maxAttempts(), NewJob.DEFAULT_MAX_ATTEMPTS, MIN_MAX_ATTEMPTS,
                MAX_MAX_ATTEMPTS, prefix + "maxAttempts");
        String key = request.idempotencyKey();
        if (key != null && (key.isBlank() || key.length() > MAX_IDEMPOTENCY_KEY_LENGTH)) {
            throw ProblemException.badRequest(prefix + "idempotencyKey: must be 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH
                    + " characters and not blank, was " + key.length() + " characters");
        }
        Instant runAt = withinHorizon(request.runAt(), prefix + "runAt");
        JsonNode payload = request.payload() == null ? NullNode.getInstance() : request.payload();
        String payloadText = mapper.writeValueAsString(payload);
        long payloadBytes = payloadText.getBytes(StandardCharsets.UTF_8).length;
        if (payloadBytes > maxPayload) {
            throw ProblemException.payloadTooLarge(prefix + "payload: " + payloadBytes
                    + " bytes of JSON exceed the limit of " + maxPayload + " bytes (quiesce.queue.max-payload)");
        }
        try {
            types.validate(type, payload);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(prefix + "payload: " + e.getMessage());
        }
        return new NewJob(type, payloadText, priority, maxAttempts, key, runAt);
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
            throw ProblemException.badRequest(field + ": must not be before " + Instant.EPOCH + ", was " + runAt);
        }
        Instant latest = Instant.now().plus(runAtHorizon);
        if (runAt.isAfter(latest)) {
            throw ProblemException.badRequest(field + ": must be at most " + (runAtHorizon.toSeconds() % 86_400 == 0 ? runAtHorizon.toDays() + " days" : runAtHorizon.toString())
                    + " ahead (until "
                    + latest.truncatedTo(ChronoUnit.SECONDS) + "; quiesce.queue.run-at-horizon), was " + runAt);
        }
        return runAt;
    }

    private String knownType(String type, String prefix) {
        if (type == null || type.isBlank()) {
            throw ProblemException.badRequest(prefix + "type: required; known types: " + knownTypes());
        }
        if (!types.isKnown(type)) {
            throw ProblemException.badRequest(prefix + "type: unknown type " + quoted(type) + "; known types: " + knownTypes());
        }
        return type;
    }

    private String knownTypes() {
        return String.join(", ", types.types());
    }

    /** Echoes client input in a detail, cut short so that a huge value does not come back whole. */
    static String quoted(String value) {
        return "'" + (value.length() <= 100 ? value : value.substring(0, 100) + "...") + "'";
    }

    private static int within(Integer value, int fallback, int min, int max, String field) {
        if (value == null) {
            return fallback;
        }
        if (value < min || value > max) {
            throw ProblemException.badRequest(field + ": must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    private static void rejectUnknownFields(Map<String, JsonNode> unknown, String prefix, String knownFields) {
        if (unknown != null && !unknown.isEmpty()) {
            String names = unknown.keySet().stream().map(name -> quoted(prefix + name))
                    .collect(Collectors.joining(", "));
            throw ProblemException.badRequest("unknown field " + names + "; known fields: " + knownFields);
        }
    }
}

package dev.quiesce.process;

import dev.quiesce.testing.QuiesceApi;
import dev.quiesce.testing.QuiesceProcesses;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.quiesce.testing.QuiesceApi.id;
import static dev.quiesce.testing.QuiesceApi.jobRequest;
import static dev.quiesce.testing.QuiesceApi.state;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a careless or hostile client sends must be refused with a precise RFC 9457 problem, and must write
 * nothing: after all of it, the queue holds only what the valid requests created (DESIGN §7).
 */
class BadInputIT {

    private static final String TOKEN = "secret";

    @RegisterExtension
    final QuiesceProcesses quiesce = new QuiesceProcesses();

    private QuiesceApi api;
    private final List<Long> created = new ArrayList<>();

    @BeforeEach
    void startTheService() {
        api = quiesce.start("--quiesce.api.token=" + TOKEN).api(TOKEN);
    }

    @Test
    void badRequestsAreRefusedWithProblemsAndWriteNothing() {
        Map<String, Object> valid = later(jobRequest("sleep", 0, 5, "ms", 10));

        // Authentication
        assertProblem(api.withToken(null).post("/jobs", valid), 401);
        assertProblem(api.withToken("wrong").post("/jobs", valid), 401);
        assertProblem(api.withToken(null).get("/jobs?limit=10"), 401);
        assertProblem(api.withToken("wrong").post("/jobs/batch", Map.of("jobs", List.of(valid))), 401);

        // Bodies that are not a job request
        assertProblem(api.post("/jobs", "this is not JSON"), 400);
        assertProblem(api.post("/jobs", "{\"type\": \"sleep\", \"payload\": {\"ms\": 1"), 400);
        assertProblem(api.post("/jobs", later(jobRequest("sleep", 0, 5, "blob", "x".repeat(2 * 1024 * 1024)))), 413);
        assertProblem(api.post("/jobs", with(valid, "priority", "high")), 400);
        assertProblem(api.post("/jobs", with(valid, "maxAttempts", "five")), 400);
        assertProblem(api.post("/jobs", without(valid, "type")), 400);
        String unknownType = assertProblem(api.post("/jobs", with(valid, "type", "no-such-type")), 400);
        assertThat(unknownType).as("detail of an unknown type lists the known ones").contains("sleep");
        String typo = assertProblem(api.post("/jobs", with(without(valid, "maxAttempts"), "maxAttempt", 3)), 400);
        assertThat(typo).as("detail of an unknown field names it").contains("maxAttempt");
        assertProblem(api.post("/jobs", with(valid, "priority", 1_001)), 400);
        assertProblem(api.post("/jobs", with(valid, "priority", -1_001)), 400);
        assertProblem(api.post("/jobs", with(valid, "priority", 1L << 40)), 400);
        assertProblem(api.post("/jobs", with(valid, "maxAttempts", 0)), 400);
        assertProblem(api.post("/jobs", with(valid, "maxAttempts", -1)), 400);
        assertProblem(api.post("/jobs", with(valid, "runAt", "tomorrow")), 400);
        // Lenient coercions a client's mistake must not slip through (each was once answered 201)
        assertThat(assertProblem(api.post("/jobs", with(valid, "runAt", "")), 400)).contains("runAt");
        assertThat(assertProblem(api.post("/jobs", with(valid, "priority", 0.5)), 400)).contains("priority");
        assertThat(assertProblem(api.post("/jobs", with(valid, "idempotencyKey", 5)), 400)).contains("idempotencyKey");
        assertThat(assertProblem(api.post("/jobs", with(valid, "runAt", "+999999999-12-31T23:59:59Z")), 400))
                .contains("quiesce.queue.run-at-horizon");

        // Batches: too many, and all-or-nothing
        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooMany.add(valid);
        }
        assertProblem(api.post("/jobs/batch", Map.of("jobs", tooMany)), 400);
        assertProblem(api.post("/jobs/batch", Map.of("jobs", List.of(valid, valid, with(valid, "type", "nope")))), 400);
        assertProblem(api.post("/jobs/batch", "{\"jobs\": 7}"), 400);

        // Unknown jobs
        assertProblem(api.get("/jobs/987654321"), 404);
        assertProblem(api.post("/jobs/987654321/cancel", ""), 404);

        // Cancelling twice: QUEUED -> CANCELLED, then a terminal job cannot be cancelled.
        QuiesceApi.Response queued = api.post("/jobs", valid);
        assertThat(queued.status()).as("a valid POST /jobs: %s", queued.body()).isEqualTo(201);
        long cancelled = id(queued.json());
        created.add(cancelled);
        assertThat(queued.location()).as("Location of the new job").endsWith("/jobs/" + cancelled);
        QuiesceApi.Response cancel = api.post("/jobs/" + cancelled + "/cancel", "");
        assertThat(cancel.status()).as("cancel of a QUEUED job: %s", cancel.body()).isBetween(200, 299);
        assertThat(state(api.job(cancelled))).isEqualTo("CANCELLED");
        assertProblem(api.post("/jobs/" + cancelled + "/cancel", ""), 409);

        // Idempotency keys
        Map<String, Object> keyed = with(valid, "idempotencyKey", "order-42");
        QuiesceApi.Response first = api.post("/jobs", keyed);
        assertThat(first.status()).as("first POST with a key: %s", first.body()).isEqualTo(201);
        created.add(id(first.json()));
        QuiesceApi.Response repeated = api.post("/jobs", keyed);
        assertThat(repeated.status()).as("same key, same job: %s", repeated.body()).isEqualTo(200);
        assertThat(id(repeated.json())).as("the existing job's id").isEqualTo(id(first.json()));
        assertProblem(api.post("/jobs", with(keyed, "payload", Map.of("ms", 11))), 409);
        assertProblem(api.post("/jobs", with(with(keyed, "type", "sha256"), "payload", Map.of("mib", 1, "seed", 1))), 409);

        List<JsonNode> all = api.jobs("limit=1000");
        Set<Long> ids = all.stream().map(QuiesceApi::id).collect(Collectors.toSet());
        assertThat(ids).as("jobs in the queue after every request").containsExactlyInAnyOrderElementsOf(created);
    }

    /**
     * Asserts an RFC 9457 problem with {@code status} and a non-blank detail, and returns the detail.
     */
    private static String assertProblem(QuiesceApi.Response response, int status) {
        assertThat(response.status()).as("status of a bad request, body %s", response.body()).isEqualTo(status);
        assertThat(response.contentType()).as("content type of a %d", status).startsWith("application/problem+json");
        assertThat(response.detail()).as("detail of a %d: %s", status, response.body()).isNotBlank();
        return response.detail();
    }

    /** Runs in an hour: the service leaves it QUEUED, so cancelling it is deterministic. */
    private static Map<String, Object> later(Map<String, Object> request) {
        return with(request, "runAt", Instant.now().plus(1, ChronoUnit.HOURS).toString());
    }

    private static Map<String, Object> with(Map<String, Object> request, String field, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(request);
        copy.put(field, value);
        return copy;
    }

    private static Map<String, Object> without(Map<String, Object> request, String field) {
        Map<String, Object> copy = new LinkedHashMap<>(request);
        copy.remove(field);
        return copy;
    }
}

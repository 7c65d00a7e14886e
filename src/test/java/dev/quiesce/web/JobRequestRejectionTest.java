package dev.quiesce.web;

import dev.quiesce.queue.JobQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;

import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.quiesce.web.ApiTestSupport.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

/**
 * Every way a job request can be wrong: the answer is a problem whose detail names the field and says what
 * would be valid, and nothing reaches the queue (checked after each test).
 */
@WebMvcTest(JobController.class)
@Import(ApiTestSupport.Handlers.class)
class JobRequestRejectionTest {

    private static final int MAX_PAYLOAD = 256 * 1024;

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    JobQueue jobQueue;

    @AfterEach
    void nothingWasEnqueued() {
        verify(jobQueue, never()).enqueue(any());
        verify(jobQueue, never()).enqueueAll(anyList());
    }

    private MvcTestResult post(String json) {
        return post("/jobs", json);
    }

    private MvcTestResult post(String uri, String json) {
        return mvc.post().uri(uri).contentType(MediaType.APPLICATION_JSON).content(json).exchange();
    }

    @Test
    void malformedJsonIs400SayingWhere() {
        assertProblem(post("{\"type\": \"echo\",}"), HttpStatus.BAD_REQUEST, "malformed JSON at line 1, column");
    }

    @Test
    void aBodyThatIsNotJsonIs400() {
        assertProblem(post("type=echo"), HttpStatus.BAD_REQUEST, "malformed JSON");
    }

    @Test
    void aMissingBodyIs400() {
        assertProblem(mvc.post().uri("/jobs").contentType(MediaType.APPLICATION_JSON).exchange(),
                HttpStatus.BAD_REQUEST, "request body is missing: expected a JSON object");
    }

    @Test
    void aBodyThatIsNotAnObjectIs400() {
        assertProblem(post("[{\"type\": \"echo\"}]"), HttpStatus.BAD_REQUEST, "request body: expected an object, got an array");
    }

    @Test
    void aFieldOfTheWrongJsonTypeIs400NamingItAndTheExpectedType() {
        assertProblem(post("{\"type\": \"echo\", \"priority\": \"high\"}"), HttpStatus.BAD_REQUEST,
                "priority: expected an integer, got 'high'");
        assertProblem(post("{\"type\": \"echo\", \"maxAttempts\": {\"n\": 1}}"), HttpStatus.BAD_REQUEST,
                "maxAttempts: expected an integer, got an object");
        assertProblem(post("{\"type\": [\"echo\"]}"), HttpStatus.BAD_REQUEST, "type: expected a string, got an array");
        assertProblem(post("{\"type\": \"echo\", \"runAt\": \"tomorrow\"}"), HttpStatus.BAD_REQUEST,
                "runAt: expected an ISO-8601 timestamp such as 2030-01-01T00:00:00Z, got 'tomorrow'");
    }

    @Test
    void aFractionForAnIntegerFieldIs400NotRoundedDown() {
        assertProblem(post("{\"type\": \"echo\", \"priority\": 0.5}"), HttpStatus.BAD_REQUEST,
                "priority: expected an integer, got a number");
        assertProblem(post("{\"type\": \"echo\", \"maxAttempts\": 3.0}"), HttpStatus.BAD_REQUEST,
                "maxAttempts: expected an integer, got a number");
        assertProblem(post("{\"type\": \"echo\", \"priority\": \"5\"}"), HttpStatus.BAD_REQUEST,
                "priority: expected an integer, got '5'");
    }

    @Test
    void aNumberOrBooleanForAStringFieldIs400NotTurnedIntoText() {
        assertProblem(post("{\"type\": \"echo\", \"idempotencyKey\": 5}"), HttpStatus.BAD_REQUEST,
                "idempotencyKey: expected a string, got a number");
        assertProblem(post("{\"type\": true}"), HttpStatus.BAD_REQUEST, "type: expected a string, got a boolean");
    }

    @Test
    void anEmptyRunAtIs400NotTakenAsAbsent() {
        assertProblem(post("{\"type\": \"echo\", \"runAt\": \"\"}"), HttpStatus.BAD_REQUEST,
                "runAt: expected an ISO-8601 timestamp such as 2030-01-01T00:00:00Z, got ''");
        assertProblem(post("{\"type\": \"echo\", \"runAt\": 1893456000}"), HttpStatus.BAD_REQUEST,
                "runAt: expected an ISO-8601 timestamp such as 2030-01-01T00:00:00Z, got a number");
    }

    @Test
    void aRunAtWithAnOffsetAndNoSecondsIsStillATimestamp() {
        assertProblem(post("{\"type\": \"echo\", \"runAt\": \"2030-01-01T10:00+02:00\"}"), HttpStatus.BAD_REQUEST,
                "runAt: must be at most 366 days ahead", "was 2030-01-01T08:00:00Z");
    }

    @Test
    void aRunAtBeyondTheHorizonOrBeforeTheEpochIs400() {
        assertProblem(post("{\"type\": \"echo\", \"runAt\": \"+999999999-12-31T23:59:59Z\"}"), HttpStatus.BAD_REQUEST,
                "runAt: must be at most 366 days ahead", "quiesce.queue.run-at-horizon", "was +999999999-12-31T23:59:59Z");
        assertProblem(post("{\"type\": \"echo\", \"runAt\": \"" + java.time.Instant.now().plus(java.time.Duration.ofDays(400)) + "\"}"),
                HttpStatus.BAD_REQUEST, "runAt: must be at most 366 days ahead");
        assertProblem(post("{\"type\": \"echo\", \"runAt\": \"-999999999-01-01T00:00:00Z\"}"), HttpStatus.BAD_REQUEST,
                "runAt: must not be before 1970-01-01T00:00:00Z");
        assertProblem(post("/jobs/batch", "{\"jobs\": [{\"type\": \"echo\", \"runAt\": \"9999-01-01T00:00:00Z\"}]}"),
                HttpStatus.BAD_REQUEST, "jobs[0].runAt: must be at most 366 days ahead");
    }

    @Test
    void aNumberBeyondAnIntegerIs400() {
        assertProblem(post("{\"type\": \"echo\", \"priority\": 99999999999}"), HttpStatus.BAD_REQUEST,
                "priority: number out of range");
    }

    @Test
    void aMissingTypeIs400ListingTheKnownTypes() {
        assertProblem(post("{\"payload\": {}}"), HttpStatus.BAD_REQUEST, "type: required; known types: count, echo");
    }

    @Test
    void anUnknownTypeIs400ListingTheKnownTypes() {
        assertProblem(post("{\"type\": \"x\"}"), HttpStatus.BAD_REQUEST,
                "type: unknown type 'x'; known types: count, echo");
    }

    @Test
    void applicationYmlMakesBootsJsonMapperFailOnUnknownProperties(@Autowired ObjectMapper mapper) {
        // Verifies spring.jackson.deserialization.* still binds in Boot 4 / Jackson 3; the request records do
        // not rely on it (see UnknownFieldsWithLenientJacksonTest).
        assertThat(mapper.deserializationConfig().isEnabled(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)).isTrue();
    }

    @Test
    void anUnknownFieldIs400NamingIt() {
        assertProblem(post("{\"type\": \"echo\", \"maxAttempt\": 3}"), HttpStatus.BAD_REQUEST,
                "unknown field 'maxAttempt'; known fields: type, payload, priority, maxAttempts, idempotencyKey, runAt");
    }

    @Test
    void outOfRangeNumbersAre400WithTheRange() {
        assertProblem(post("{\"type\": \"echo\", \"priority\": 1001}"), HttpStatus.BAD_REQUEST,
                "priority: must be between -1000 and 1000, was 1001");
        assertProblem(post("{\"type\": \"echo\", \"priority\": -1001}"), HttpStatus.BAD_REQUEST,
                "priority: must be between -1000 and 1000, was -1001");
        assertProblem(post("{\"type\": \"echo\", \"maxAttempts\": 0}"), HttpStatus.BAD_REQUEST,
                "maxAttempts: must be between 1 and 100, was 0");
        assertProblem(post("{\"type\": \"echo\", \"maxAttempts\": 101}"), HttpStatus.BAD_REQUEST,
                "maxAttempts: must be between 1 and 100, was 101");
    }

    @Test
    void anIdempotencyKeyOver200CharactersIs400() {
        assertProblem(post("{\"type\": \"echo\", \"idempotencyKey\": \"" + "k".repeat(201) + "\"}"),
                HttpStatus.BAD_REQUEST, "idempotencyKey: must be 1 to 200 characters and not blank, was 201 characters");
    }

    @Test
    void aPayloadTheHandlerRejectsIs400WithItsMessage() {
        assertProblem(post("{\"type\": \"count\", \"payload\": {\"n\": -1}}"), HttpStatus.BAD_REQUEST,
                "payload: n must be a positive integer");
    }

    @Test
    void aBodyThatIsNotDeclaredAsJsonIs415() {
        assertProblem(mvc.post().uri("/jobs").contentType(MediaType.TEXT_PLAIN).content("{\"type\": \"echo\"}").exchange(),
                HttpStatus.UNSUPPORTED_MEDIA_TYPE, "text/plain");
    }

    @Test
    void aTwoMebibyteBodyIs413BeforeItIsParsed() {
        String body = "{\"type\": \"echo\", \"payload\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}";

        assertProblem(post(body), HttpStatus.CONTENT_TOO_LARGE, "request body too large",
                "a payload of at most " + MAX_PAYLOAD + " bytes");
    }

    @Test
    void aPayloadJustOverTheLimitIs413EvenWhenTheBodyFitsTheEnvelope() {
        String body = "{\"type\": \"echo\", \"payload\": \"" + "x".repeat(MAX_PAYLOAD) + "\"}";

        assertProblem(post(body), HttpStatus.CONTENT_TOO_LARGE,
                "payload: " + (MAX_PAYLOAD + 2) + " bytes of JSON exceed the limit of " + MAX_PAYLOAD + " bytes");
    }

    @Test
    void anEmptyBatchIs400() {
        assertProblem(post("/jobs/batch", "{\"jobs\": []}"), HttpStatus.BAD_REQUEST, "jobs: must hold 1 to 1000 jobs, had 0");
        assertProblem(post("/jobs/batch", "{}"), HttpStatus.BAD_REQUEST, "jobs: must hold 1 to 1000 jobs, had 0");
    }

    @Test
    void aBatchOfMoreThan1000JobsIs400() {
        String jobs = IntStream.range(0, 1001).mapToObj(i -> "{\"type\": \"echo\"}").collect(Collectors.joining(","));

        assertProblem(post("/jobs/batch", "{\"jobs\": [" + jobs + "]}"), HttpStatus.BAD_REQUEST,
                "jobs: must hold 1 to 1000 jobs, had 1001");
    }

    @Test
    void aBadJobInABatchRejectsTheWholeBatchNamingItsIndex() {
        assertProblem(post("/jobs/batch", "{\"jobs\": [{\"type\": \"echo\"}, {\"type\": \"echo\"}, {\"type\": \"x\"}]}"),
                HttpStatus.BAD_REQUEST, "jobs[2].type: unknown type 'x'; known types: count, echo");
        assertProblem(post("/jobs/batch", "{\"jobs\": [{\"type\": \"echo\"}, {\"type\": \"echo\", \"priority\": \"high\"}]}"),
                HttpStatus.BAD_REQUEST, "jobs[1].priority: expected an integer, got 'high'");
        assertProblem(post("/jobs/batch", "{\"jobs\": [{\"type\": \"echo\", \"maxAttempt\": 1}]}"),
                HttpStatus.BAD_REQUEST, "unknown field 'jobs[0].maxAttempt'");
        assertProblem(post("/jobs/batch", "{\"jobs\": [{\"type\": \"echo\"}, null]}"),
                HttpStatus.BAD_REQUEST, "jobs[1]: must be a job object, was null");
        assertProblem(post("/jobs/batch", "{\"jobs\": [{\"type\": \"echo\"}], \"atomic\": true}"),
                HttpStatus.BAD_REQUEST, "unknown field 'atomic'; known fields: jobs");
    }

    @Test
    void anOversizedPayloadInABatchIs413NamingItsIndex() {
        String big = "{\"type\": \"echo\", \"payload\": \"" + "x".repeat(MAX_PAYLOAD) + "\"}";

        assertProblem(post("/jobs/batch", "{\"jobs\": [{\"type\": \"echo\"}, " + big + "]}"), HttpStatus.CONTENT_TOO_LARGE,
                "jobs[1].payload: " + (MAX_PAYLOAD + 2) + " bytes of JSON exceed the limit");
    }
}

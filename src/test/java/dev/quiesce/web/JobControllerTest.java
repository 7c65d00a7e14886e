package dev.quiesce.web;

import dev.quiesce.job.Job;
import dev.quiesce.api.JobState;
import dev.quiesce.job.NewJob;
import dev.quiesce.queue.IdempotencyConflictException;
import dev.quiesce.queue.JobDetail;
import dev.quiesce.queue.JobFilter;
import dev.quiesce.queue.JobPage;
import dev.quiesce.queue.JobQueue;
import dev.quiesce.queue.JobQueue.CancelResult;
import dev.quiesce.queue.JobQueue.EnqueueResult;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static dev.quiesce.web.ApiTestSupport.assertProblem;
import static dev.quiesce.web.ApiTestSupport.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** The jobs API's successful answers and its 404/409 answers, against a mocked queue. */
@WebMvcTest(JobController.class)
@Import(ApiTestSupport.Handlers.class)
class JobControllerTest {

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    JobQueue jobQueue;

    private MvcTestResult post(String uri, String json) {
        return mvc.post().uri(uri).contentType(MediaType.APPLICATION_JSON).content(json).exchange();
    }

    @Test
    void postingANewJobAnswers201WithItsLocationAndEveryJobField() {
        when(jobQueue.enqueue(any())).thenReturn(new EnqueueResult(
                job(42, "echo", JobState.QUEUED, "{\"x\":[1,2,{\"y\":null}]}"), true));

        MvcTestResult result = post("/jobs", "{\"type\": \"echo\", \"payload\": {\"x\": [1, 2, {\"y\": null}]}}");

        assertThat(result).hasStatus(HttpStatus.CREATED).hasHeader("Location", "/jobs/42")
                .hasContentTypeCompatibleWith(MediaType.APPLICATION_JSON);
        assertThat(result).bodyJson().isStrictlyEqualTo("""
                {"id": 42, "type": "echo", "state": "QUEUED", "payload": {"x": [1, 2, {"y": null}]},
                 "priority": 0, "attempts": 0, "maxAttempts": 5, "interruptions": 0, "crashes": 0,
                 "owner": null, "result": null, "lastError": null,
                 "createdAt": "2030-01-02T03:04:05.123456Z", "runAt": "2030-01-02T03:04:05.123456Z",
                 "startedAt": null, "finishedAt": null}
                """);
    }

    @Test
    void onlyTypeIsRequiredAndTheQueueGetsTheDefaults() {
        when(jobQueue.enqueue(any())).thenReturn(new EnqueueResult(job(1, JobState.QUEUED), true));

        assertThat(post("/jobs", "{\"type\": \"echo\"}")).hasStatus(HttpStatus.CREATED);

        verify(jobQueue).enqueue(new NewJob("echo", "null", 0, NewJob.DEFAULT_MAX_ATTEMPTS, null, null));
    }

    @Test
    void everyFieldIsPassedToTheQueueAndThePayloadKeepsEveryDigit() {
        when(jobQueue.enqueue(any())).thenReturn(new EnqueueResult(job(1, JobState.QUEUED), true));
        // A month ahead (inside quiesce.queue.run-at-horizon), written with an offset: the queue gets the instant.
        Instant runAt = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plus(java.time.Duration.ofDays(30));
        String written = runAt.atOffset(java.time.ZoneOffset.ofHours(2)).toString();

        assertThat(post("/jobs", """
                {"type": "count", "payload": {"n": 3, "exact": 0.12345678901234567890123, "huge": 1e400},
                 "priority": -7, "maxAttempts": 100, "idempotencyKey": "order-17", "runAt": "%s"}
                """.formatted(written))).hasStatus(HttpStatus.CREATED);

        verify(jobQueue).enqueue(new NewJob("count", "{\"n\":3,\"exact\":0.12345678901234567890123,\"huge\":1E+400}",
                -7, 100, "order-17", runAt));
    }

    @Test
    void repostingAnIdempotencyKeyForTheSameJobAnswers200WithTheExistingJob() {
        when(jobQueue.enqueue(any())).thenReturn(new EnqueueResult(job(7, JobState.RUNNING), false));

        MvcTestResult result = post("/jobs", "{\"type\": \"echo\", \"payload\": {\"x\": 1}, \"idempotencyKey\": \"k\"}");

        assertThat(result).hasStatus(HttpStatus.OK).doesNotContainHeader("Location");
        assertThat(result).bodyJson().extractingPath("$.id").isEqualTo(7);
        assertThat(result).bodyJson().extractingPath("$.state").isEqualTo("RUNNING");
    }

    @Test
    void reusingAnIdempotencyKeyForAnotherJobAnswers409() {
        when(jobQueue.enqueue(any())).thenThrow(new IdempotencyConflictException("k", 7));

        MvcTestResult result = post("/jobs", "{\"type\": \"echo\", \"payload\": 2, \"idempotencyKey\": \"k\"}");

        assertProblem(result, HttpStatus.CONFLICT, "idempotency key 'k' already names job 7");
        assertThat(result).bodyJson().extractingPath("$.existingJobId").isEqualTo(7);
    }

    @Test
    void aBatchIsEnqueuedAsOneCallAndAnswers201WithEveryJob() {
        when(jobQueue.enqueueAll(anyList())).thenReturn(List.of(
                new EnqueueResult(job(1, JobState.QUEUED), true), new EnqueueResult(job(2, JobState.QUEUED), true)));

        MvcTestResult result = post("/jobs/batch",
                "{\"jobs\": [{\"type\": \"echo\"}, {\"type\": \"count\", \"payload\": {\"n\": 1}, \"priority\": 5}]}");

        assertThat(result).hasStatus(HttpStatus.CREATED);
        assertThat(result).bodyJson().extractingPath("$.jobs[*].id").isEqualTo(List.of(1, 2));
        verify(jobQueue).enqueueAll(List.of(NewJob.of("echo", "null"),
                new NewJob("count", "{\"n\":1}", 5, NewJob.DEFAULT_MAX_ATTEMPTS, null, null)));
    }

    @Test
    void aKnownJobIsFoundById() {
        when(jobQueue.detail(3)).thenReturn(Optional.of(detail(job(3, JobState.SUCCEEDED))));

        MvcTestResult result = mvc.get().uri("/jobs/3").exchange();

        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.state").isEqualTo("SUCCEEDED");
        assertThat(result).bodyJson().extractingPath("$.payload.x").isEqualTo(1);
    }

    @Test
    void anUnknownJobIs404() {
        when(jobQueue.detail(3)).thenReturn(Optional.empty());

        assertProblem(mvc.get().uri("/jobs/3").exchange(), HttpStatus.NOT_FOUND, "job 3 does not exist");
    }

    @Test
    void aJobIdThatIsNotANumberIs400() {
        assertProblem(mvc.get().uri("/jobs/abc").exchange(), HttpStatus.BAD_REQUEST, "id: expected an integer, got 'abc'");
    }

    @Test
    void listingPassesTheFiltersAndAnswersTheJobsInTheQueuesOrder() {
        when(jobQueue.page(new JobFilter(JobState.FAILED, "echo", null, null), JobPage.Order.NEWEST, null, 20))
                .thenReturn(new JobPage(List.of(job(9, JobState.FAILED), job(4, JobState.FAILED)), 4L));

        MvcTestResult result = mvc.get().uri("/jobs?state=FAILED&type=echo&limit=20").exchange();

        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.jobs[*].id").isEqualTo(List.of(9, 4));
        assertThat(result).bodyJson().extractingPath("$.next").isEqualTo("4");
    }

    @Test
    void listingWithoutParametersAsksForTheNewest100OfAnyStateAndType() {
        when(jobQueue.page(JobFilter.ALL, JobPage.Order.NEWEST, null, 100)).thenReturn(new JobPage(List.of(), null));

        MvcTestResult result = mvc.get().uri("/jobs").exchange();

        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().isStrictlyEqualTo("{\"jobs\": [], \"next\": null}");
        verify(jobQueue).page(JobFilter.ALL, JobPage.Order.NEWEST, null, 100);
    }

    @Test
    void theStateFilterIgnoresCase() {
        when(jobQueue.page(JobFilter.state(JobState.RUNNING), JobPage.Order.NEWEST, null, 100)).thenReturn(new JobPage(List.of(), null));

        assertThat(mvc.get().uri("/jobs?state=running").exchange()).hasStatusOk();
        verify(jobQueue).page(JobFilter.state(JobState.RUNNING), JobPage.Order.NEWEST, null, 100);
    }

    @Test
    void anUnknownStateIs400NamingTheValidStates() {
        assertProblem(mvc.get().uri("/jobs?state=DONE").exchange(), HttpStatus.BAD_REQUEST,
                "state: unknown state 'DONE'; valid states: QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED");
    }

    @Test
    void aLimitOutside1To1000Is400() {
        assertProblem(mvc.get().uri("/jobs?limit=0").exchange(), HttpStatus.BAD_REQUEST,
                "limit: must be between 1 and 1000, was 0");
        assertProblem(mvc.get().uri("/jobs?limit=1001").exchange(), HttpStatus.BAD_REQUEST,
                "limit: must be between 1 and 1000, was 1001");
        assertProblem(mvc.get().uri("/jobs?limit=many").exchange(), HttpStatus.BAD_REQUEST,
                "limit: expected an integer, got 'many'");
        verify(jobQueue, never()).list(any(), any(), org.mockito.ArgumentMatchers.anyInt());
    }

    @Test
    void cancellingAQueuedJobAnswers200WithTheCancelledJob() {
        Job cancelled = job(5, JobState.CANCELLED);
        when(jobQueue.requestCancel(5)).thenReturn(new CancelResult(CancelResult.Outcome.CANCELLED, cancelled));

        MvcTestResult result = mvc.post().uri("/jobs/5/cancel").exchange();

        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.state").isEqualTo("CANCELLED");
    }

    @Test
    void cancellingARunningJobAnswers202WithTheStillRunningJob() {
        Job running = job(5, JobState.RUNNING);
        when(jobQueue.requestCancel(5)).thenReturn(new CancelResult(CancelResult.Outcome.CANCEL_REQUESTED, running));

        MvcTestResult result = mvc.post().uri("/jobs/5/cancel").exchange();

        assertThat(result).hasStatus(HttpStatus.ACCEPTED);
        assertThat(result).bodyJson().extractingPath("$.state").isEqualTo("RUNNING");
    }

    @Test
    void cancellingAFinishedJobIs409() {
        when(jobQueue.requestCancel(5)).thenReturn(
                new CancelResult(CancelResult.Outcome.ALREADY_TERMINAL, job(5, JobState.SUCCEEDED)));

        assertProblem(mvc.post().uri("/jobs/5/cancel").exchange(), HttpStatus.CONFLICT,
                "job 5 has already finished (SUCCEEDED)");
    }

    @Test
    void cancellingAnUnknownJobIs404() {
        when(jobQueue.requestCancel(5)).thenReturn(new CancelResult(CancelResult.Outcome.NOT_FOUND, null));

        assertProblem(mvc.post().uri("/jobs/5/cancel").exchange(), HttpStatus.NOT_FOUND, "job 5 does not exist");
    }

    @Test
    void anUnknownPathIsA404Problem() {
        assertProblem(mvc.get().uri("/nothing/here").exchange(), HttpStatus.NOT_FOUND,
                "no endpoint GET /nothing/here; the API is under /jobs");
    }

    @Test
    void aWrongMethodIsA405Problem() {
        MvcTestResult result = mvc.delete().uri("/jobs/5").exchange();

        assertProblem(result, HttpStatus.METHOD_NOT_ALLOWED, "Method 'DELETE' is not supported");
        assertThat(result).hasHeader("Allow", "GET");
    }

    @Test
    void anUnreachableQueueIs503AndAnUnexpectedFailureIs500WithoutInternals() {
        when(jobQueue.detail(1)).thenThrow(new org.springframework.jdbc.CannotGetJdbcConnectionException("no db"));
        when(jobQueue.detail(2)).thenThrow(new IllegalStateException("boom in dev.quiesce.queue.JdbcJobQueue"));

        assertProblem(mvc.get().uri("/jobs/1").exchange(), HttpStatus.SERVICE_UNAVAILABLE, "retry later");
        assertProblem(mvc.get().uri("/jobs/2").exchange(), HttpStatus.INTERNAL_SERVER_ERROR, "internal error");
    }

    private static JobDetail detail(dev.quiesce.job.Job job) {
        return new JobDetail(job, null, null, null, List.of());
    }
}

package dev.quiesce.web;

import dev.quiesce.api.JobState;
import dev.quiesce.queue.JobQueue;
import dev.quiesce.queue.JobQueue.EnqueueResult;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import java.util.List;
import java.util.Optional;

import static dev.quiesce.web.ApiTestSupport.assertProblem;
import static dev.quiesce.web.ApiTestSupport.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

/** With {@code quiesce.api.token} set, {@code /jobs} answers only to {@code Authorization: Bearer <token>}. */
@WebMvcTest(controllers = JobController.class, properties = "quiesce.api.token=s3cret-token")
@Import(ApiTestSupport.Handlers.class)
class BearerTokenTest {

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    JobQueue jobQueue;

    @Test
    void aRequestWithoutATokenIs401WithABearerChallengeAndReachesNothing() {
        MvcTestResult result = mvc.post().uri("/jobs").contentType(MediaType.APPLICATION_JSON)
                .content("{\"type\": \"echo\"}").exchange();

        assertProblem(result, HttpStatus.UNAUTHORIZED, "requires 'Authorization: Bearer <token>'");
        assertThat(result).headers().hasValue(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"quiesce\"");
        verifyNoInteractions(jobQueue);
    }

    @Test
    void aWrongTokenIs401EvenForReadsAndBatches() {
        assertProblem(mvc.get().uri("/jobs/1").header(HttpHeaders.AUTHORIZATION, "Bearer s3cret-tokem").exchange(),
                HttpStatus.UNAUTHORIZED, "the bearer token is not valid");
        MvcTestResult batch = mvc.post().uri("/jobs/batch").contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.AUTHORIZATION, "Basic czNjcmV0LXRva2Vu")
                .content("{\"jobs\": [{\"type\": \"echo\"}]}").exchange();
        assertProblem(batch, HttpStatus.UNAUTHORIZED, "requires 'Authorization: Bearer <token>'");
        verify(jobQueue, never()).enqueueAll(anyList());
        verify(jobQueue, never()).detail(org.mockito.ArgumentMatchers.anyLong());
    }

    @Test
    void anUnauthenticatedOversizedBodyIs401NotA413() {
        MvcTestResult result = mvc.post().uri("/jobs").contentType(MediaType.APPLICATION_JSON)
                .content("{\"type\": \"echo\", \"payload\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}").exchange();

        assertProblem(result, HttpStatus.UNAUTHORIZED);
        verify(jobQueue, never()).enqueue(any());
    }

    @Test
    void theRightTokenIsLetThrough() {
        when(jobQueue.detail(1)).thenReturn(Optional.of(new dev.quiesce.queue.JobDetail(job(1, JobState.QUEUED), null, null, null, List.of())));
        when(jobQueue.enqueue(any())).thenReturn(new EnqueueResult(job(2, JobState.QUEUED), true));

        assertThat(mvc.get().uri("/jobs/1").header(HttpHeaders.AUTHORIZATION, "Bearer s3cret-token").exchange())
                .hasStatusOk();
        assertThat(mvc.post().uri("/jobs").contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.AUTHORIZATION, "bearer s3cret-token")
                .content("{\"type\": \"echo\"}").exchange())
                .hasStatus(HttpStatus.CREATED);
    }
}

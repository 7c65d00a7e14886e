package dev.quiesce.console;

import dev.quiesce.QuiesceApplication;
import dev.quiesce.api.JobState;
import dev.quiesce.job.Job;
import dev.quiesce.job.NewJob;
import dev.quiesce.queue.JobQueue;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The jobs page filters and pages through the real queue (H2) by cursor, and a job's page shows a failure's stored
 * stack trace and history and acts on it: retried from the page, the job runs again and succeeds; deleted, it is
 * gone. The whole service runs, its dispatcher included (open console: no token).
 */
@SpringBootTest(classes = QuiesceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.server.port=0", "quiesce.children.size=0"})
@DirtiesContext
class ConsoleJobPagesTest {

    /** No handler has these types: their jobs stay QUEUED. */
    private static final String PAGED = "console-pages-paged";
    private static final String OTHER = "console-pages-other";
    private static final Duration GENEROUS = Duration.ofSeconds(60);

    @DynamicPropertySource
    static void dataDirectory(DynamicPropertyRegistry registry) throws IOException {
        String dir = Files.createTempDirectory("quiesce-console-pages-").toString();
        registry.add("quiesce.data-dir", () -> dir);
    }

    @LocalServerPort
    int port;
    @Autowired
    JobQueue queue;

    @Test
    void theJobsPageFiltersAndPagesByCursorThroughEveryMatchingJob() {
        List<Long> paged = new ArrayList<>();
        IntStream.range(0, 60).forEach(i -> paged.add(queue.enqueue(NewJob.of(PAGED, "{\"i\":" + i + "}")).job().id()));
        queue.enqueue(NewJob.of(OTHER, "{}"));
        Job keyed = queue.enqueue(new NewJob(OTHER, "{}", 0, 5, "console-key-7", null)).job();
        ConsoleBrowser browser = new ConsoleBrowser(port);

        ConsoleBrowser.Page first = browser.get("/console/jobs?type=" + PAGED);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.jobIds()).hasSize(JobsPageController.PAGE_SIZE).isSortedAccordingTo(Comparator.reverseOrder());
        assertThat(first.body()).contains("hx-get=\"/console/jobs?type=" + PAGED + "&amp;fragment=table\"",
                "hx-trigger=\"every 2s\"");
        String next = first.href("next-page");
        assertThat(next).contains("type=" + PAGED).contains("after=" + first.jobIds().getLast());

        ConsoleBrowser.Page second = browser.get(next);
        assertThat(second.jobIds()).hasSize(10).allMatch(id -> id < first.jobIds().getLast());
        assertThat(second.has("next-page")).isFalse();
        assertThat(second.body()).as("a later page holds still").doesNotContain("hx-trigger");
        List<Long> all = new ArrayList<>(first.jobIds());
        all.addAll(second.jobIds());
        assertThat(all).containsExactlyInAnyOrderElementsOf(paged);

        ConsoleBrowser.Page oldest = browser.get("/console/jobs?type=" + PAGED + "&order=oldest");
        assertThat(oldest.jobIds().getFirst()).isEqualTo(paged.getFirst());
        assertThat(oldest.href("next-page")).contains("order=oldest");

        ConsoleBrowser.Page byKey = browser.get("/console/jobs?key=console-key-7");
        assertThat(byKey.jobIds()).containsExactly(keyed.id());
        assertThat(browser.get("/console/jobs?type=" + OTHER + "&state=SUCCEEDED").jobIds()).isEmpty();
        assertThat(browser.get("/console/jobs?type=" + OTHER + "&state=QUEUED").jobIds()).hasSize(2);

        ConsoleBrowser.Page table = browser.get("/console/jobs?type=" + OTHER + "&fragment=table");
        assertThat(table.has("jobs")).isTrue();
        assertThat(table.has("nav-jobs")).as("only the live part").isFalse();
        assertThat(table.body()).contains("<td class=\"state QUEUED\"><span>QUEUED</span></td>");
    }

    @Test
    void aFailedJobShowsItsStackTraceAndHistoryAndARetryFromThePageSucceeds() {
        Job job = queue.enqueue(new NewJob("fail", "{\"message\": \"boom from the console test\", \"times\": 1}",
                0, 1, null, null)).job();
        await().atMost(GENEROUS).until(() -> queue.find(job.id()).orElseThrow().state() == JobState.FAILED);
        ConsoleBrowser browser = new ConsoleBrowser(port);

        ConsoleBrowser.Page page = browser.get("/console/jobs/" + job.id());

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text("job-state")).isEqualTo("FAILED");
        assertThat(page.text("error-trace")).contains("IllegalStateException", "boom from the console test")
                .containsPattern("\\bat [a-z]+\\.");
        assertThat(page.body()).contains("<ol id=\"history\"");
        assertThat(page.body().substring(page.body().indexOf("<ol id=\"history\""))).contains("<li>");
        assertThat(page.text("job-payload")).contains("\"message\" : \"boom from the console test\"");
        assertThat(page.has("retry")).isTrue();
        assertThat(page.has("delete")).isTrue();
        assertThat(page.has("cancel")).isFalse();
        assertThat(page.body()).as("a finished job's page holds still").doesNotContain("hx-trigger");
        assertThat(browser.get("/console/jobs?state=FAILED").jobIds()).contains(job.id());

        ConsoleBrowser.Page retried = browser.submit("/console/jobs/" + job.id() + "/retry");
        assertThat(retried.status()).isEqualTo(303);
        assertThat(browser.get("/console/jobs/" + job.id()).text("flash")).isEqualTo("Job " + job.id() + " queued again.");
        await().atMost(GENEROUS).until(() -> queue.find(job.id()).orElseThrow().state() == JobState.SUCCEEDED);

        ConsoleBrowser.Page succeeded = browser.get("/console/jobs/" + job.id());
        assertThat(succeeded.text("job-state")).isEqualTo("SUCCEEDED");
        assertThat(succeeded.has("retry")).isFalse();
        ConsoleBrowser.Page deleted = browser.submit("/console/jobs/" + job.id() + "/delete");
        assertThat(deleted.status()).isEqualTo(303);
        assertThat(deleted.location()).endsWith("/console/jobs");
        assertThat(browser.get("/console/jobs").text("flash")).isEqualTo("Job " + job.id() + " deleted.");
        assertThat(queue.find(job.id())).isEmpty();
        assertThat(browser.get("/console/jobs/" + job.id()).status()).isEqualTo(404);
    }

    @Test
    void retryAllMatchingQueuesEveryFailedJobTheFilterMatches() {
        List<Long> failed = IntStream.range(0, 3).mapToObj(i -> queue.enqueue(new NewJob("fail",
                "{\"message\": \"retry-all marker\", \"times\": 1}", 0, 1, null, null)).job().id()).toList();
        await().atMost(GENEROUS).until(() -> failed.stream()
                .allMatch(id -> queue.find(id).orElseThrow().state() == JobState.FAILED));
        ConsoleBrowser browser = new ConsoleBrowser(port);
        ConsoleBrowser.Page page = browser.get("/console/jobs?state=FAILED&error=retry-all+marker");
        assertThat(page.jobIds()).containsExactlyInAnyOrderElementsOf(failed);
        assertThat(page.has("retry-all")).isTrue();
        assertThat(browser.get("/console/jobs?state=RUNNING").has("retry-all")).as("nothing to retry").isFalse();

        ConsoleBrowser.Page retried = browser.submit("/console/jobs/retry", "state", "FAILED", "error", "retry-all marker");

        assertThat(retried.status()).isEqualTo(303);
        assertThat(retried.location()).contains("/console/jobs?state=FAILED&error=retry-all+marker");
        assertThat(browser.get(retried.location().substring(retried.location().indexOf("/console"))).text("flash"))
                .isEqualTo("3 jobs queued again.");
        await().atMost(GENEROUS).until(() -> failed.stream()
                .allMatch(id -> queue.find(id).orElseThrow().state() == JobState.SUCCEEDED));
    }
}

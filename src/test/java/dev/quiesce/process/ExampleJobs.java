package dev.quiesce.process;

import dev.quiesce.testing.JobsDb;
import dev.quiesce.testing.JobsDb.JobRow;
import dev.quiesce.testing.ProcScan;
import dev.quiesce.testing.ProcScan.Proc;
import dev.quiesce.testing.QuiesceApi;
import dev.quiesce.testing.QuiesceProcess;
import dev.quiesce.testing.QuiesceProcesses;
import dev.quiesce.testing.Signal;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.quiesce.testing.QuiesceApi.id;
import static dev.quiesce.testing.QuiesceApi.instant;
import static dev.quiesce.testing.QuiesceApi.state;
import static dev.quiesce.testing.QuiesceApi.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the example's two job types ({@code examples/report-jobs}) must do in either deployment, as a user sees it over
 * HTTP and as the database and {@code /proc} record it: the jobs, the answers they must give, and the checks both
 * example ITs share.
 */
final class ExampleJobs {

    /**
     * A user's settings (no fault types), with a short drain so that the slow jobs running at the signal are certainly
     * cancelled and handed back.
     */
    static final List<String> OPTIONS = List.of("--quiesce.builtin.fault-types=false", "--quiesce.shutdown.drain-timeout=1s");

    static final Map<String, Object> REPORT = Map.of("type", "report", "payload", Map.of("title", "Q3",
            "sections", List.of(Map.of("heading", "Sales", "rows", 3), Map.of("heading", "Costs", "rows", 2))));
    static final String REPORT_RESULT = "report 'Q3': 2 section(s), 5 row(s), 83 bytes, "
            + "sha256 d74b809ffaf9713a90534ec040126fcea2d2a80dcae060b2bc934b3c355a0b2c";

    static final Map<String, Object> MARKDOWN = Map.of("type", "markdown", "payload", Map.of("documents", List.of(
            Map.of("name", "a.md", "markdown", "# Hello\n\nSee [x](http://x).\n\n## Two"),
            Map.of("name", "b.md", "markdown", "plain"))));
    static final String MARKDOWN_RESULT = "rendered 2 document(s) to 78 bytes of HTML: a.md (2 heading(s), 1 link(s)), "
            + "b.md (0 heading(s), 0 link(s))";

    /** Bad payloads, as a client posts them, and the detail each gets: Bean Validation in the nested lists, a type's own validate(). */
    static final Map<String, String> REFUSED = Map.of(
            """
            {"type": "report", "payload": {"title": "Q3", "sections": [{"heading": "Sales", "rows": 3}, {"heading": "Costs", "rows": 0}]}}""",
            "payload.sections[1].rows: must be greater than or equal to 1",
            """
            {"type": "report", "payload": {"title": "Q3", "sections": [null]}}""",
            "payload.sections[0]: must not be null",
            """
            {"type": "markdown", "payload": {"documents": [{"name": "a.md", "markdown": "x"}, {"name": "b.md"}]}}""",
            "payload.documents[1].markdown: must not be null",
            """
            {"type": "markdown", "payload": {"documents": [{"name": "a.md", "markdown": "x"}, {"name": "a.md", "markdown": "y"}]}}""",
            "payload: every document name must be different");

    /**
     * Slow jobs (6 s each: 8 sections or 4 documents, with pauses) that a one-second drain cannot finish, as many as
     * the default runners take at once (4 threads, 2 children), so that all of them run at the signal.
     */
    static final int SLOW_REPORTS = 4;
    static final int SLOW_MARKDOWNS = 2;

    private ExampleJobs() {
    }

    /**
     * Both types run with the results a user expects, and a bad payload of either is refused with a 400 problem that
     * names the field, with nothing written. Returns the ids of the jobs that were accepted.
     */
    static List<Long> bothTypesRunAndBadPayloadsAreRefused(QuiesceApi api) {
        long report = id(api.enqueue(REPORT));
        long markdown = id(api.enqueue(MARKDOWN));
        await("the report and markdown jobs finished").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> QuiesceApi.isTerminal(state(api.job(report))) && QuiesceApi.isTerminal(state(api.job(markdown))));
        JsonNode reportJob = api.job(report);
        assertThat(state(reportJob)).as("the report job (in-process): %s", reportJob).isEqualTo("SUCCEEDED");
        assertThat(text(reportJob, "result")).as("result of the report job").isEqualTo(REPORT_RESULT);
        JsonNode markdownJob = api.job(markdown);
        assertThat(state(markdownJob)).as("the markdown job (child JVM, commonmark): %s", markdownJob).isEqualTo("SUCCEEDED");
        assertThat(text(markdownJob, "result")).as("result of the markdown job").isEqualTo(MARKDOWN_RESULT);

        REFUSED.forEach((request, detail) -> {
            QuiesceApi.Response response = api.post("/jobs", request);
            assertThat(response.status()).as("POST /jobs %s -> %s", request, response.body()).isEqualTo(400);
            assertThat(response.isProblem()).as("problem+json: %s", response.contentType()).isTrue();
            assertThat(response.detail()).isEqualTo(detail);
        });
        assertThat(api.jobs("limit=1000")).as("jobs after the refused ones: nothing written").extracting(QuiesceApi::id)
                .containsExactlyInAnyOrder(report, markdown);
        return List.of(report, markdown);
    }

    /** Enqueues the slow jobs and returns their ids. */
    static List<Long> enqueueSlowJobs(QuiesceApi api) {
        List<Map<String, Object>> requests = new ArrayList<>();
        for (int i = 1; i <= SLOW_REPORTS; i++) {
            List<Map<String, Object>> sections = new ArrayList<>();
            for (int s = 1; s <= 8; s++) {
                sections.add(Map.of("heading", "section " + s, "rows", 10));
            }
            requests.add(Map.of("type", "report", "payload", Map.of("title", "slow " + i, "sections", sections, "pauseMs", 750)));
        }
        for (int i = 1; i <= SLOW_MARKDOWNS; i++) {
            List<Map<String, Object>> documents = new ArrayList<>();
            for (int d = 1; d <= 4; d++) {
                documents.add(Map.of("name", "doc-" + d + ".md", "markdown", "# Part " + d + "\n\nSee [the log](log.html)."));
            }
            requests.add(Map.of("type", "markdown", "payload", Map.of("documents", documents, "pauseMs", 1500)));
        }
        return api.enqueueAll(requests).stream().map(QuiesceApi::id).toList();
    }

    /**
     * SIGTERM while slow jobs of both types run: the service drains for a second, cancels the rest and hands it back,
     * terminates its children, reports a clean stop and exits by itself, leaving no process behind. Returns what the
     * database says afterwards.
     */
    static List<JobRow> aSigtermWhileTheyRunHandsThemBackCleanly(QuiesceProcess service, Proc serviceProc, Path dataDir,
                                                                 int jobs) {
        QuiesceApi api = service.api();
        await("slow jobs of both types running, just started").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    Instant recently = Instant.now().minusSeconds(1);
                    List<JsonNode> running = api.jobs("state=RUNNING&limit=1000").stream()
                            .filter(job -> instant(job, "startedAt") != null && instant(job, "startedAt").isAfter(recently))
                            .toList();
                    return running.stream().anyMatch(job -> "report".equals(text(job, "type")))
                            && running.stream().anyMatch(job -> "markdown".equals(text(job, "type")));
                });
        List<Proc> before = ProcScan.ofService(service.pid());
        assertThat(before).as("processes of the service before the signal").filteredOn(Proc::isChildJvm).hasSize(2);

        service.signal(Signal.TERM);
        QuiesceProcess.Exit exit = service.awaitExit(QuiesceProcesses.EXIT_BOUND);

        assertThat(exit.code()).as("exit status after SIGTERM").isIn(0, 128 + 15);
        assertThat(exit.survivors()).as("descendants alive after the exit").isEmpty();
        assertThat(ProcScan.ofService(serviceProc)).as("processes of the service alive after its exit").isEmpty();
        assertThat(before).as("processes of the service at the signal, alive after its exit").filteredOn(Proc::isAlive).isEmpty();
        assertThat(service.log().text().lines().filter(line -> line.contains("Shutdown clean: nothing lost, nothing leaked -- ")))
                .as("the shutdown report in the log").hasSize(1);

        try (JobsDb db = JobsDb.open(dataDir)) {
            List<JobRow> rows = db.jobs();
            assertThat(rows).as("jobs in the database: the accepted ones, none of the refused").hasSize(jobs);
            assertThat(rows).as("every job finished or handed back").allSatisfy(row ->
                    assertThat(row.state()).as("job %d (%s): %s", row.id(), row.type(), row.lastError()).isIn("SUCCEEDED", "QUEUED"));
            assertThat(rows).as("jobs handed back: unowned, not charged an attempt").filteredOn(row -> row.state().equals("QUEUED"))
                    .allSatisfy(row -> {
                        assertThat(row.owner()).as("owner of job %d", row.id()).isNull();
                        assertThat(row.attempts()).as("attempts of job %d", row.id()).isZero();
                    });
            assertThat(rows).as("jobs cancelled at the drain deadline and handed back")
                    .filteredOn(row -> row.interruptions() >= 1)
                    .allSatisfy(row -> assertThat(row.state()).isEqualTo("QUEUED"))
                    .extracting(JobRow::type).contains("report", "markdown");
            assertThat(db.shutdownReports()).as("stored shutdown reports").last()
                    .satisfies(report -> assertThat(report.outcome()).as(report.json()).isEqualTo("clean"));
            assertThat(db.workerStates()).as("workers rows after the stop").containsOnly("STOPPED");
            return rows;
        }
    }

    /**
     * After a restart every job succeeds, each slow one with its result; while the handed-back reports run again, the
     * actuator shows the progress they report.
     */
    static void aRestartFinishesEveryJob(QuiesceProcess service, int jobs) {
        QuiesceApi api = service.api();
        await("a running report's progress in /actuator/quiesce").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> service.actuator().get("quiesce").map(answer -> {
                    for (JsonNode job : answer.json().get("inFlight").get("jobs")) {
                        double progress = job.get("progress").asDouble();
                        if ("report".equals(text(job, "type")) && progress > 0 && progress < 1) {
                            return true;
                        }
                    }
                    return false;
                }).orElse(false));
        await("every job terminal after the restart").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> api.jobs("limit=1000").stream().allMatch(job -> QuiesceApi.isTerminal(state(job))));
        List<JsonNode> finished = api.jobs("limit=1000");
        assertThat(finished).hasSize(jobs);
        for (JsonNode job : finished) {
            assertThat(state(job)).as("job %s: %s", id(job), job).isEqualTo("SUCCEEDED");
            assertThat(text(job, "result")).as("result of job %s", id(job)).satisfiesAnyOf(
                    result -> assertThat(result).isIn(REPORT_RESULT, MARKDOWN_RESULT),
                    result -> assertThat(result).matches("report 'slow \\d': 8 section\\(s\\), 80 row\\(s\\), \\d+ bytes, sha256 [0-9a-f]{64}"),
                    result -> assertThat(result).startsWith("rendered 4 document(s) to ").endsWith("doc-4.md (1 heading(s), 1 link(s))"));
        }
    }
}

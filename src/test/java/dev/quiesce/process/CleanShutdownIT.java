package dev.quiesce.process;

import dev.quiesce.testing.JobsDb;
import dev.quiesce.testing.QuiesceApi;
import dev.quiesce.testing.QuiesceProcess;
import dev.quiesce.testing.QuiesceProcesses;
import dev.quiesce.testing.Scrape;
import dev.quiesce.testing.Signal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.quiesce.testing.QuiesceApi.jobRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The promise in one run: a mixed load on threads and child JVMs, nothing misbehaving, SIGTERM mid-load — and
 * the report says clean, with every leak count 0, in the log line, the stored report, the termination message
 * and the metrics the next start serves.
 */
class CleanShutdownIT {

    @RegisterExtension
    final ProcessSweep sweep = new ProcessSweep();
    @RegisterExtension
    final QuiesceProcesses quiesce = new QuiesceProcesses();

    @Test
    void aMixedLoadStoppedBySigtermReportsACleanShutdownWithEveryLeakCountZero() throws IOException {
        Path message = quiesce.file("termination-log");
        String[] options = {"--quiesce.children.size=2", "--quiesce.routing.sha256=child",
                "--quiesce.shutdown.termination-message-path=" + message};
        QuiesceProcess service = quiesce.start(options);
        sweep.watchService(service.pid());
        QuiesceApi api = service.api();
        List<Map<String, Object>> load = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            load.add(i % 2 == 0 ? jobRequest("sleep", 0, 5, "ms", 300) : jobRequest("sha256", 0, 5, "mib", 4, "seed", i));
        }
        api.enqueueAll(load);
        await("jobs running on threads and children").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> api.jobs("state=SUCCEEDED&limit=1000").size() >= 4);

        service.signal(Signal.TERM);
        QuiesceProcess.Exit exit = service.awaitExit(QuiesceProcesses.EXIT_BOUND);

        assertThat(exit.code()).as("exit status after SIGTERM").isIn(0, 128 + 15);
        assertThat(exit.survivors()).as("descendants alive after the exit").isEmpty();
        List<String> lines = Files.readAllLines(message, StandardCharsets.UTF_8);
        assertThat(lines.getFirst()).as("termination message").isEqualTo("clean: nothing lost, nothing leaked");
        assertThat(lines).contains("leaks: none", "outstanding: none", "inherited: none")
                .anySatisfy(line -> assertThat(line).startsWith("jobs: ").endsWith("abandoned 0, not released 0"))
                .anySatisfy(line -> assertThat(line).startsWith("children: graceful 2,"));
        assertThat(service.log().text().lines().filter(line -> line.contains("Shutdown clean: nothing lost, nothing leaked -- ")))
                .as("the one-line report in the log").hasSize(1);
        try (JobsDb db = JobsDb.open(quiesce.dataDir())) {
            assertThat(db.jobs()).as("every job terminal or back in the queue")
                    .allSatisfy(job -> assertThat(job.state()).isIn("SUCCEEDED", "QUEUED"));
            JobsDb.ReportRow row = db.shutdownReports().getLast();
            assertThat(row.outcome()).isEqualTo("clean");
            JsonNode report = QuiesceApi.JSON.readTree(row.json());
            assertThat(report.get("leaks").properties()).as("leak counts by kind in the stored report").hasSize(8)
                    .allSatisfy(kind -> assertThat(kind.getValue().asLong()).as(kind.getKey()).isZero());
        }

        QuiesceProcess next = quiesce.start(options);
        sweep.watchService(next.pid());
        Scrape scrape = Scrape.of(next);
        assertThat(scrape.value("quiesce_shutdown_reports_total", "outcome", "clean")).isEqualTo(1);
        assertThat(scrape.value("quiesce_shutdown_reports_total", "outcome", "leaky")).isZero();
        for (String kind : List.of("child_process", "descendant_process", "zombie", "thread", "scratch_dir", "file_descriptor",
                "job_lease", "previous_run_process")) {
            assertThat(scrape.value("quiesce_leaks_detected_total", "kind", kind)).as("%s leaks after a clean stop", kind).isZero();
            assertThat(scrape.value("quiesce_leaked_resources", "kind", kind)).as(kind).isZero();
        }
    }
}

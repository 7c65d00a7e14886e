package dev.quiesce.deploy;

import dev.quiesce.testing.Actuator;
import dev.quiesce.testing.QuiesceApi;
import dev.quiesce.testing.QuiesceProcess;
import dev.quiesce.testing.QuiesceProcesses;
import dev.quiesce.testing.Scrape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.quiesce.testing.QuiesceApi.id;
import static dev.quiesce.testing.QuiesceApi.isTerminal;
import static dev.quiesce.testing.QuiesceApi.jobRequest;
import static dev.quiesce.testing.QuiesceApi.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard and the alerts against the real service: every metric name their PromQL reads is in a live
 * scrape of {@code /actuator/prometheus} (after jobs ran on threads and in a child JVM), and that scrape passes
 * {@code promtool check metrics}.
 */
class MonitoringNamesIT {

    /** Bounds that only stop a hung test. */
    private static final Duration JOBS_BOUND = Duration.ofSeconds(120);

    @RegisterExtension
    final QuiesceProcesses quiesce = new QuiesceProcesses();

    @Test
    void everyMetricTheDashboardAndTheAlertsReadIsInTheLiveScrape() {
        Scrape scrape = scrapeAfterJobsRan();
        Map<String, List<String>> readBy = new TreeMap<>();
        Stream.concat(MonitoringFiles.dashboardExpressions().stream(), MonitoringFiles.ruleExpressions().stream())
                .forEach(expression -> expression.metricNames()
                        .forEach(name -> readBy.computeIfAbsent(name, n -> new ArrayList<>()).add(expression.where())));
        Map<String, List<String>> missing = new TreeMap<>(readBy);
        missing.keySet().removeIf(scrape::has);

        assertThat(readBy).as("metric names read by the dashboard and the alert rules").hasSizeGreaterThan(25);
        assertThat(missing).as("names the dashboard or the alerts read that the scrape lacks (name -> where read)")
                .isEmpty();
    }

    @Test
    void theLiveScrapePassesPromtoolCheckMetrics() {
        Promtool promtool = Promtool.required();
        Scrape scrape = scrapeAfterJobsRan();

        Promtool.Result result = promtool.run(Path.of(""), scrape.text(), "check", "metrics");

        // promtool lists each lint problem on a line of its own; no output and status 0 mean none.
        assertThat(result.output()).as(result.describe()).isBlank();
        assertThat(result.exit()).as(result.describe()).isZero();
    }

    /**
     * Starts a service with one child JVM and sha256 routed to it, runs jobs that succeed on a thread and in the
     * child and one that fails, then scrapes it.
     */
    private Scrape scrapeAfterJobsRan() {
        QuiesceProcess service = quiesce.start("--quiesce.children.size=1", "--quiesce.routing.sha256=child");
        QuiesceApi api = service.api();
        long inChild = id(api.enqueue(jobRequest("sha256", 0, 1, "mib", 1, "seed", 7)));
        long onThread = id(api.enqueue(jobRequest("sleep", 0, 1, "ms", 20)));
        long failing = id(api.enqueue(jobRequest("fail", 0, 1, "message", "meant to fail")));
        for (long job : List.of(inChild, onThread, failing)) {
            await("job " + job + " terminal").atMost(JOBS_BOUND).pollInterval(Duration.ofMillis(100))
                    .until(() -> isTerminal(state(api.job(job))));
        }
        assertThat(state(api.job(inChild))).as("the sha256 job, run in the child").isEqualTo("SUCCEEDED");
        assertThat(state(api.job(onThread))).as("the sleep job, run on a thread").isEqualTo("SUCCEEDED");
        assertThat(state(api.job(failing))).as("the fail job").isEqualTo("FAILED");
        collectGarbage(service);

        Actuator.Answer answer = service.actuator().get("prometheus")
                .orElseThrow(() -> new AssertionError("nothing answers on the management port"));
        assertThat(answer.status()).as("GET /actuator/prometheus: %s", answer.body()).isEqualTo(200);
        Scrape scrape = new Scrape(answer.body());
        assertThat(scrape.value("quiesce_jobs_claimed_total", "runner", "child"))
                .as("jobs claimed for the child runner").isEqualTo(1.0);
        return scrape;
    }

    /**
     * A pod that has run for a while has collected garbage, and its GC pause meters exist; a service only just
     * started may not have yet. jcmd (from the JDK running the tests) makes it collect once.
     */
    private static void collectGarbage(QuiesceProcess service) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        List<String> command = List.of(jcmd.toString(), Long.toString(service.pid()), "GC.run");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
            assertThat(process.exitValue()).as("%s: %s", command, output).isZero();
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
    }
}

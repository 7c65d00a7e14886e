package dev.quiesce.process;

import dev.quiesce.testing.JobsDb;
import dev.quiesce.testing.JobsDb.JobRow;
import dev.quiesce.testing.QuiesceApi;
import dev.quiesce.testing.QuiesceProcess;
import dev.quiesce.testing.QuiesceProcesses;
import dev.quiesce.testing.Scrape;
import dev.quiesce.testing.Signal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static dev.quiesce.testing.QuiesceApi.id;
import static dev.quiesce.testing.QuiesceApi.instant;
import static dev.quiesce.testing.QuiesceApi.isTerminal;
import static dev.quiesce.testing.QuiesceApi.jobRequest;
import static dev.quiesce.testing.QuiesceApi.state;
import static dev.quiesce.testing.QuiesceApi.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGKILL gives the service no chance to hand anything back. The next start on the same data directory must
 * recognise the dead incarnation and return its running jobs to the queue at once, in their old place
 * (priority, then age), not after a lease expires (DESIGN §1.1, §3 reclaim).
 */
class SigkillRecoveryIT {

    private static final int BACKLOG = 24;
    private static final int LATER = 500;

    @RegisterExtension
    final QuiesceProcesses quiesce = new QuiesceProcesses();

    @Test
    void aRestartAfterSigkillHandsBackTheDeadInstancesJobsAtOnceInTheirPlace() {
        Journal journal = new Journal(quiesce.file("journal.txt"));
        QuiesceProcess killed = quiesce.start("--quiesce.worker.threads=4");
        QuiesceApi api = killed.api();

        List<Map<String, Object>> backlog = new ArrayList<>();
        for (int i = 0; i < BACKLOG; i++) {
            backlog.add(jobRequest("sleep", 5, 5, "ms", 2_000, "journal", journal.path()));
        }
        api.enqueueAll(backlog);
        await("four jobs running").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(25))
                .until(() -> api.jobs("state=RUNNING&limit=1000").size() == 4);
        List<Map<String, Object>> later = new ArrayList<>();
        for (int i = 0; i < LATER; i++) {
            later.add(jobRequest("sleep", 0, 5, "ms", 10, "journal", journal.path()));
        }
        Set<Long> laterIds = api.enqueueAll(later).stream().map(QuiesceApi::id).collect(Collectors.toSet());

        killed.signal(Signal.KILL);
        QuiesceProcess.Exit exit = killed.awaitExit(QuiesceProcesses.EXIT_BOUND);
        assertThat(exit.code()).as("exit status after SIGKILL").isEqualTo(128 + 9);
        await("no descendant of the killed service alive").atMost(Duration.ofSeconds(5))
                .until(() -> exit.survivors().stream().noneMatch(ProcessHandle::isAlive));

        Map<Long, JobRow> atKill;
        try (JobsDb db = JobsDb.open(quiesce.dataDir())) {
            atKill = db.jobsById();
        }
        assertThat(atKill).as("jobs durable before their 201, SIGKILL or not").hasSize(BACKLOG + LATER);
        Map<Long, JobRow> rescued = atKill.values().stream().filter(row -> row.state().equals("RUNNING"))
                .collect(Collectors.toMap(JobRow::id, row -> row, (a, b) -> a, TreeMap::new));
        assertThat(rescued).as("jobs the killed instance was running").isNotEmpty().hasSizeLessThanOrEqualTo(4);
        Set<Long> waiting = atKill.values().stream().filter(row -> row.state().equals("QUEUED"))
                .map(JobRow::id).collect(Collectors.toSet());

        QuiesceProcess restarted = quiesce.launch("--quiesce.worker.threads=4");
        QuiesceApi again = restarted.api();
        Map<Long, Duration> rescuedAfter = new TreeMap<>();
        Duration apiUpAfter = null;
        long deadline = System.nanoTime() + QuiesceProcesses.START_BOUND.toNanos();
        while (rescuedAfter.size() < rescued.size()) {
            assertThat(System.nanoTime()).as("rescued jobs running again within the hang bound; seen %s", rescuedAfter)
                    .isLessThan(deadline);
            assertThat(restarted.isAlive()).as("the restarted service is alive").isTrue();
            for (JobRow job : rescued.values()) {
                if (rescuedAfter.containsKey(job.id())) {
                    continue;
                }
                Optional<QuiesceApi.Response> response = again.tryGet("/jobs/" + job.id());
                if (response.isPresent() && apiUpAfter == null) {
                    apiUpAfter = restarted.sinceLaunch();
                }
                if (response.isPresent() && response.get().status() == 200) {
                    JsonNode now = response.get().json();
                    String owner = text(now, "owner");
                    boolean runningAgain = "RUNNING".equals(state(now)) && owner != null && !owner.equals(job.owner());
                    if (runningAgain || isTerminal(state(now))) {
                        rescuedAfter.put(job.id(), restarted.sinceLaunch());
                    }
                }
            }
            QuiesceProcess.pause(Duration.ofMillis(25));
        }
        // The dead run's leases are its leaks, found and handed back by the restart: counted, none outstanding.
        Scrape scrape = Scrape.of(restarted);
        assertThat(scrape.value("quiesce_leaks_detected_total", "kind", "job_lease")).as("job leases of the killed run found")
                .isEqualTo(rescued.size());
        assertThat(scrape.value("quiesce_leaks_reclaimed_total", "kind", "job_lease")).isEqualTo(rescued.size());
        assertThat(scrape.value("quiesce_leaked_resources", "kind", "job_lease")).isZero();
        JsonNode leaks = restarted.actuator().get("quiesce").orElseThrow().json().get("leaks");
        assertThat(leaks.get("detected").get("job_lease").asLong()).as("/actuator/quiesce").isEqualTo(rescued.size());
        long slowest = rescuedAfter.values().stream().mapToLong(Duration::toMillis).max().orElseThrow();
        // Most of the figure is the JVM and Spring starting; the second one is what the reclaim itself adds.
        System.out.printf("RECOVERY rescued-running-after-ms=%d api-up-after-ms=%d (from process launch; per job: %s ms)%n",
                slowest, apiUpAfter.toMillis(),
                rescuedAfter.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().toMillis()).toList());

        await("all jobs terminal after the restart").atMost(Duration.ofSeconds(240))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> again.jobs("state=QUEUED&limit=1").isEmpty() && again.jobs("state=RUNNING&limit=1").isEmpty());

        List<JsonNode> finished = again.jobs("limit=1000");
        assertThat(finished).as("jobs after the restart").hasSize(BACKLOG + LATER);
        assertThat(finished).as("every job succeeded")
                .allSatisfy(job -> assertThat(state(job)).as("job %s", job).isEqualTo("SUCCEEDED"));
        Map<Long, Integer> completions = journal.completions();
        assertThat(finished).as("each job's work completed exactly once")
                .allSatisfy(job -> assertThat(completions.get(id(job))).as("journal lines of job %d", id(job)).isEqualTo(1));
        assertThat(completions).hasSize(BACKLOG + LATER);

        Instant firstOtherStart = finished.stream().filter(job -> waiting.contains(id(job)))
                .map(job -> instant(job, "startedAt")).min(Instant::compareTo).orElseThrow();
        Instant firstLaterStart = finished.stream().filter(job -> laterIds.contains(id(job)))
                .map(job -> instant(job, "startedAt")).min(Instant::compareTo).orElseThrow();
        for (JsonNode job : finished) {
            if (rescued.containsKey(id(job))) {
                assertThat(job.get("crashes").asInt()).as("crashes of rescued job %d", id(job)).isEqualTo(1);
                assertThat(instant(job, "startedAt")).as("rescued job %d started before any of the %d later jobs",
                        id(job), LATER).isBeforeOrEqualTo(firstLaterStart);
                assertThat(instant(job, "startedAt")).as("rescued job %d kept its place ahead of every job that was"
                        + " waiting when the service died", id(job)).isBeforeOrEqualTo(firstOtherStart);
            } else {
                assertThat(job.get("crashes").asInt()).as("crashes of job %d", id(job)).isZero();
            }
        }
    }
}

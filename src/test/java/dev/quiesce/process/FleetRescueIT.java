package dev.quiesce.process;

import dev.quiesce.testing.PostgresTestServer;
import dev.quiesce.testing.QuiesceApi;
import dev.quiesce.testing.QuiesceProcess;
import dev.quiesce.testing.QuiesceProcesses;
import dev.quiesce.testing.Scrape;
import dev.quiesce.testing.Signal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.quiesce.testing.QuiesceApi.id;
import static dev.quiesce.testing.QuiesceApi.instant;
import static dev.quiesce.testing.QuiesceApi.jobRequest;
import static dev.quiesce.testing.QuiesceApi.state;
import static dev.quiesce.testing.QuiesceApi.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances on one PostgreSQL (issue 9, item 5). An instance that is SIGKILLed loses its database sessions, and
 * with them its liveness lock: the other instance hands its running jobs back at once — not after three heartbeats —
 * and runs them again ahead of the jobs that were waiting. An instance that is only paused (SIGSTOP, for less than
 * the heartbeat window) keeps its sessions and its lock: nobody takes its jobs, and they finish on it.
 */
class FleetRescueIT {

    private static final Duration HANG = Duration.ofSeconds(120);

    @RegisterExtension
    final ProcessSweep sweep = new ProcessSweep();
    @RegisterExtension
    final QuiesceProcesses quiesce = new QuiesceProcesses();

    private List<String> database;
    private Journal journal;

    @BeforeEach
    void freshSchema() {
        PostgresTestServer server = PostgresTestServer.locate("FleetRescueIT");
        database = List.of("--spring.datasource.url=" + server.freshSchemaUrl("fleet_it"),
                "--spring.datasource.username=" + server.user(), "--spring.datasource.password=" + server.password(),
                "--quiesce.worker.threads=4", "--quiesce.children.size=0",
                "--quiesce.builtin.journal-dir=" + quiesce.dataDir());
        journal = new Journal(quiesce.file("journal.txt"));
    }

    @Test
    void aSigkilledInstancesRunningJobsRunAgainOnTheOtherAtOnceAheadOfTheBacklog() {
        // A heartbeat window of 15 s: what is handed back before it was handed back by the liveness lock.
        QuiesceProcess a = start("a", "--quiesce.queue.heartbeat=5s");
        QuiesceProcess b = start("b", "--quiesce.queue.heartbeat=5s");
        QuiesceApi api = b.api();
        List<Long> victims = runOn(a, b, 4, 8_000);
        String aId = text(a.api().job(victims.getFirst()), "owner");
        List<Long> blockers = enqueue(api, 4, 5_000);
        await("b runs four blockers (a is full)").atMost(HANG).pollInterval(Duration.ofMillis(20))
                .until(() -> running(api, blockers).size() == 4);
        List<Long> backlog = enqueue(api, 8, 100);
        assertThat(running(api, victims)).as("victims still running on a when it is killed").hasSize(4);

        QuiesceProcess.Signalled kill = a.signal(Signal.KILL);
        long handedBack = 0;
        while (handedBack == 0) {
            assertThat(System.nanoTime() - kill.nanos()).as("victims still held by the killed instance").isLessThan(HANG.toNanos());
            if (victims.stream().map(api::job).noneMatch(job -> "RUNNING".equals(state(job)) && aId.equals(text(job, "owner")))) {
                handedBack = System.nanoTime() - kill.nanos();
            }
            QuiesceProcess.pause(Duration.ofMillis(10));
        }
        await("victims running again on b").atMost(HANG).pollInterval(Duration.ofMillis(20))
                .until(() -> running(api, victims).size() + terminal(api, victims) == 4);
        long runningAgain = System.nanoTime() - kill.nanos();
        System.out.printf("FLEET RESCUE SIGKILL -> handed back after %d ms, running again on b after %d ms (b's threads"
                + " were busy with 5 s blockers)%n", handedBack / 1_000_000, runningAgain / 1_000_000);

        Scrape scrape = Scrape.of(b);
        assertThat(scrape.value("quiesce_fleet_rescues_total")).as("dead instances b rescued by their liveness lock").isEqualTo(1);
        assertThat(scrape.value("quiesce_jobs_reclaimed_total", "reason", "owner_dead")).isEqualTo(4);
        assertThat(scrape.value("quiesce_jobs_reclaimed_total", "reason", "lease_expired")).isZero();

        List<Long> all = Stream.of(victims, blockers, backlog).flatMap(List::stream).toList();
        await("every job terminal").atMost(HANG).pollInterval(Duration.ofMillis(200))
                .until(() -> terminal(api, all) == all.size());
        Map<Long, Integer> completions = journal.completions();
        for (long id : all) {
            JsonNode job = api.job(id);
            assertThat(state(job)).as("job %d", id).isEqualTo("SUCCEEDED");
            assertThat(completions.get(id)).as("completions of job %d in the journal", id).isEqualTo(1);
            assertThat(job.get("crashes").asInt()).as("crashes of job %d", id).isEqualTo(victims.contains(id) ? 1 : 0);
        }
        Instant firstBacklogStart = backlog.stream().map(id -> instant(api.job(id), "startedAt")).min(Instant::compareTo).orElseThrow();
        for (long id : victims) {
            assertThat(instant(api.job(id), "startedAt")).as("rescued job %d started again ahead of the backlog", id)
                    .isBeforeOrEqualTo(firstBacklogStart);
        }
    }

    @Test
    void anInstancePausedForLessThanTheHeartbeatWindowKeepsItsJobs() {
        // Heartbeat 3 s: an owner silent for 9 s is dead. Paused 3 s, a's last heartbeat is at most 6 s old on resume.
        QuiesceProcess a = start("a", "--quiesce.queue.heartbeat=3s");
        QuiesceProcess b = start("b", "--quiesce.queue.heartbeat=3s");
        List<Long> jobs = runOn(a, b, 4, 6_000);
        assertThat(Scrape.of(b).value("quiesce_fleet_listening")).as("b's fleet listener connected").isEqualTo(1);
        assertThat(running(b.api(), jobs)).as("jobs still running on a when it is paused").hasSize(4);

        a.signal(Signal.STOP);
        QuiesceProcess.pause(Duration.ofSeconds(3));
        a.signal(Signal.CONT);

        QuiesceApi api = b.api();
        await("the paused instance's jobs finished").atMost(HANG).pollInterval(Duration.ofMillis(100))
                .until(() -> terminal(api, jobs) == jobs.size());
        Map<Long, Integer> completions = journal.completions();
        for (long id : jobs) {
            JsonNode job = api.job(id);
            assertThat(state(job)).as("job %d", id).isEqualTo("SUCCEEDED");
            assertThat(job.get("crashes").asInt()).as("crashes of job %d", id).isZero();
            assertThat(completions.get(id)).as("completions of job %d", id).isEqualTo(1);
        }
        Scrape byB = Scrape.of(b);
        assertThat(byB.value("quiesce_fleet_rescues_total")).as("instances b took for dead").isZero();
        assertThat(byB.value("quiesce_jobs_reclaimed_total", "reason", "owner_dead")).isZero();
        assertThat(byB.value("quiesce_jobs_reclaimed_total", "reason", "lease_expired")).isZero();
        assertThat(byB.value("quiesce_jobs_claimed_total", "runner", "thread")).as("jobs b ran").isZero();
        Scrape byA = Scrape.of(a);
        assertThat(byA.value("quiesce_jobs_fenced_total")).isZero();
        assertThat(byA.value("quiesce_jobs_released_total", "reason", "lease_lost")).isZero();
    }

    /** Starts an instance with a data directory of its own; the journal is shared. */
    private QuiesceProcess start(String name, String... options) {
        List<String> all = new ArrayList<>(database);
        all.addAll(List.of(options));
        QuiesceProcess process = quiesce.watch(QuiesceProcess.launch(QuiesceProcesses.packagedJar(), quiesce.file(name),
                quiesce.file(name + ".log"), List.of("-Xmx384m"), all));
        process.awaitReady(QuiesceProcesses.START_BOUND);
        sweep.watchService(process.pid());
        return process;
    }

    /**
     * Has {@code a} start {@code count} sleep jobs while {@code other} is quiet, then resumes {@code other}; returns
     * once it has had the time to see a's liveness lock held.
     */
    private List<Long> runOn(QuiesceProcess a, QuiesceProcess other, int count, long sleepMillis) {
        assertThat(other.actuator().post("quiesce/quiet", null)).hasValueSatisfying(answer -> assertThat(answer.status()).isEqualTo(200));
        List<Long> ids = enqueue(a.api(), count, sleepMillis);
        await("a runs the jobs").atMost(HANG).pollInterval(Duration.ofMillis(20))
                .until(() -> running(a.api(), ids).size() == count);
        assertThat(other.actuator().post("quiesce/resume", null)).hasValueSatisfying(answer -> assertThat(answer.status()).isEqualTo(200));
        QuiesceProcess.pause(Duration.ofSeconds(1));
        return ids;
    }

    private List<Long> enqueue(QuiesceApi api, int count, long sleepMillis) {
        List<Map<String, Object>> requests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            requests.add(jobRequest("sleep", 0, 5, "ms", sleepMillis, "journal", journal.path()));
        }
        return api.enqueueAll(requests).stream().map(QuiesceApi::id).toList();
    }

    private static List<Long> running(QuiesceApi api, List<Long> ids) {
        return ids.stream().filter(id -> "RUNNING".equals(state(api.job(id)))).toList();
    }

    private static int terminal(QuiesceApi api, List<Long> ids) {
        return (int) ids.stream().filter(id -> QuiesceApi.isTerminal(state(api.job(id)))).count();
    }
}

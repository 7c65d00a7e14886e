package dev.quiesce.process;

import dev.quiesce.testing.JobsDb;
import dev.quiesce.testing.JobsDb.JobRow;
import dev.quiesce.testing.PostgresTestServer;
import dev.quiesce.testing.ProcScan;
import dev.quiesce.testing.ProcScan.Proc;
import dev.quiesce.testing.QuiesceApi;
import dev.quiesce.testing.QuiesceProcess;
import dev.quiesce.testing.QuiesceProcesses;
import dev.quiesce.testing.Signal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static dev.quiesce.testing.QuiesceApi.jobRequest;
import static dev.quiesce.testing.QuiesceApi.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three instances on one PostgreSQL database work through a backlog of mixed jobs — mostly instant ones, some
 * sleeping 50-500 ms, some in child JVMs — while the fleet is rolled (SIGTERM one instance at a time, wait for
 * its exit, start it again on its own data directory) and one instance is SIGKILLed in the middle and restarted
 * (DESIGN §1.1, §1.2, §3, §4). Afterwards every job has succeeded; the jobs' own journal shows each one's work
 * completed, and completed twice only where the SIGKILL left no chance to record it; no instance left a process
 * behind. The fleet's throughput is logged, never asserted.
 *
 * <p>{@code -Dquiesce.fleet.jobs=N} changes the number of jobs (default 20,000, a multiple of 5: five waves).
 */
class FleetRollingRestartIT {

    private static final int JOBS = Integer.getInteger("quiesce.fleet.jobs", 20_000);
    private static final int BATCH = 1_000;
    private static final int THREADS = 8;
    /** Only catches a hang: the whole backlog at today's slowest measured rate would take a fraction of it. */
    private static final Duration ALL_TERMINAL_BOUND = Duration.ofMinutes(15);
    /** Bound for the instance about to be signalled to hold running jobs: only fails if the backlog ran out. */
    private static final Duration BUSY_BOUND = Duration.ofSeconds(60);

    @RegisterExtension
    final ProcessSweep sweep = new ProcessSweep();
    @RegisterExtension
    final QuiesceProcesses quiesce = new QuiesceProcesses();

    private PostgresTestServer server;
    private String url;
    private JobsDb db;

    @BeforeEach
    void freshSchema() {
        server = PostgresTestServer.locate("FleetRollingRestartIT");
        url = server.freshSchemaUrl("fleet_it");
    }

    @AfterEach
    void closeDatabase() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void aFleetRolledAndOnceSigkilledUnderLoadSucceedsEveryJobAndRunsTwiceOnlyWhatTheKillInterrupted() {
        assertThat(JOBS % 5).as("quiesce.fleet.jobs must be a multiple of 5, was %d", JOBS).isZero();
        Journal journal = new Journal(quiesce.file("journal.txt"));
        List<String> options = List.of("--spring.datasource.url=" + url, "--spring.datasource.username=" + server.user(),
                "--spring.datasource.password=" + server.password(), "--quiesce.worker.threads=" + THREADS,
                "--quiesce.children.size=2", "--quiesce.routing.sha256=child",
                // One journal for the whole fleet: every instance and child appends to it.
                "--quiesce.builtin.journal-dir=" + quiesce.dataDir());
        List<FleetInstance> fleet = new ArrayList<>();
        for (String name : List.of("fleet-a", "fleet-b", "fleet-c")) {
            fleet.add(new FleetInstance(name, quiesce.dataDir().resolve(name), quiesce, sweep, options));
        }
        // The first migrates the schema; the other two start side by side.
        fleet.getFirst().start();
        fleet.subList(1, 3).forEach(FleetInstance::launch);
        fleet.subList(1, 3).forEach(FleetInstance::awaitReady);
        db = JobsDb.connect(url, server.user(), server.password());

        // The backlog comes in five waves, one before each disruption and one after the last, so that every signal
        // meets work in flight however fast the fleet gets; at today's rate each wave outlasts the restart after it.
        FleetInstance a = fleet.get(0);
        FleetInstance b = fleet.get(1);
        FleetInstance c = fleet.get(2);
        long began = System.nanoTime();
        Set<Long> ids = new HashSet<>();
        ids.addAll(enqueueWave(0, fleet, journal));
        roll(a);
        ids.addAll(enqueueWave(1, fleet, journal));
        roll(b);
        ids.addAll(enqueueWave(2, fleet, journal));
        Set<Long> runningAtKill = killAndRestart(a, journal);
        ids.addAll(enqueueWave(3, fleet, journal));
        roll(c);
        long lastWave = System.nanoTime();
        long terminalBefore = terminal();
        ids.addAll(enqueueWave(4, fleet, journal));
        assertThat(ids).as("ids of the jobs enqueued").hasSize(JOBS);

        await("every job terminal").atMost(ALL_TERMINAL_BOUND).pollInterval(Duration.ofMillis(100))
                .until(() -> terminal() == JOBS);
        double wall = seconds(began);
        double lastWaveWall = seconds(lastWave);
        long lastWaveJobs = JOBS - terminalBefore;

        List<JobRow> rows = db.jobs();
        assertThat(rows).as("jobs in the database").hasSize(JOBS);
        assertThat(rows.stream().map(JobRow::id).collect(Collectors.toSet())).as("ids in the database").isEqualTo(ids);
        assertThat(rows).as("every job SUCCEEDED, none lost: states %s", db.states())
                .allSatisfy(row -> assertThat(row.state()).as("job %d: %s", row.id(), row).isEqualTo("SUCCEEDED"));
        Map<Long, Integer> completions = journal.completions();
        assertThat(completions.keySet()).as("jobs whose work completed, by their own journal").isEqualTo(ids);
        Set<Long> twice = completions.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<Long> crashed = rows.stream().filter(row -> row.crashes() > 0).map(JobRow::id)
                .collect(Collectors.toCollection(TreeSet::new));
        log("the SIGKILL left %d job(s) RUNNING on %s; %d job(s) charged a crash; %d job(s) completed twice by the journal: %s",
                runningAtKill.size(), a.name(), crashed.size(), twice.size(), twice);
        assertThat(twice).as("jobs whose work completed twice: only jobs running on the SIGKILLed instance at the kill %s",
                runningAtKill).isSubsetOf(runningAtKill);
        assertThat(crashed).as("jobs charged a crash: exactly those running on the SIGKILLed instance")
                .isEqualTo(runningAtKill);

        for (FleetInstance instance : fleet) {
            stopCleanly(instance);
        }
        List<Proc> incarnations = fleet.stream().flatMap(instance -> instance.incarnations().stream()).toList();
        await("no process of any incarnation of the fleet alive").atMost(Duration.ofSeconds(10))
                .until(() -> incarnations.stream().noneMatch(Proc::isAlive)
                        && incarnations.stream().allMatch(proc -> ProcScan.ofService(proc).isEmpty()));
        log("THROUGHPUT %,d jobs in %.1f s from the first enqueue to the last terminal job, restarts included: %,.0f jobs/s;"
                        + " the last %,d on the whole fleet after the roll (enqueue included): %.1f s, %,.0f jobs/s"
                        + " (3 instances x %d threads + 2 children each, PostgreSQL, %d incarnations in all)",
                JOBS, wall, JOBS / wall, lastWaveJobs, lastWaveWall, lastWaveJobs / lastWaveWall, THREADS, incarnations.size());
    }

    /**
     * Enqueues wave {@code wave} of five (a fifth of the jobs) in batches of 1,000, round-robin over the instances;
     * returns the ids.
     */
    private static Set<Long> enqueueWave(int wave, List<FleetInstance> fleet, Journal journal) {
        long began = System.nanoTime();
        int size = JOBS / 5;
        Set<Long> ids = new HashSet<>();
        for (int first = wave * size; first < (wave + 1) * size; first += BATCH) {
            List<Map<String, Object>> batch = new ArrayList<>();
            for (int i = first; i < Math.min(first + BATCH, (wave + 1) * size); i++) {
                batch.add(job(i, journal));
            }
            FleetInstance via = fleet.get(first / BATCH % fleet.size());
            via.api().enqueueAll(batch).forEach(job -> ids.add(QuiesceApi.id(job)));
        }
        log("wave %d: enqueued %,d jobs in %.1f s through all three instances", wave + 1, ids.size(), seconds(began));
        return ids;
    }

    /** 90 % instant sleeps, 5 % sleeps of 50-500 ms (in-process), 5 % SHA-256 of 1 MiB in a child JVM; all journalled. */
    private static Map<String, Object> job(int i, Journal journal) {
        return switch (i % 20) {
            case 7 -> jobRequest("sleep", 0, 5, "ms", 50 + (i * 37) % 451, "journal", journal.path());
            case 13 -> jobRequest("sha256", 0, 5, "mib", 1, "seed", i, "journal", journal.path());
            default -> jobRequest("sleep", 0, 5, "ms", 0, "journal", journal.path());
        };
    }

    /** SIGTERM, a clean exit, and a start again on the same data directory. */
    private void roll(FleetInstance instance) {
        int inFlight = awaitBusy(instance);
        long signalled = System.nanoTime();
        long left = enqueued() - terminal();
        String owner = instance.instanceId();
        QuiesceProcess.Exit exit = instance.stop(Signal.TERM);
        double exited = seconds(signalled);
        List<String> message = instance.lastTerminationMessage();
        log("SIGTERM %s with %d job(s) of its own running and %,d not yet terminal: exit %d after %.1f s; %s",
                instance.name(), inFlight, left, exit.code(), exited, message);
        assertExitedCleanly(instance, exit, message);
        assertThat(runningOwnedBy(owner)).as("jobs still RUNNING under %s after its SIGTERM (each is drained or handed"
                + " back)", instance.name()).isEmpty();
        long launched = System.nanoTime();
        instance.start();
        log("%s ready again after %.1f s", instance.name(), seconds(launched));
    }

    /**
     * SIGKILL while the instance runs jobs; returns the jobs it held RUNNING at the kill (read from the database
     * before any other instance could hand them back) and starts it again on the same data directory.
     */
    private Set<Long> killAndRestart(FleetInstance instance, Journal journal) {
        awaitBusy(instance);
        String owner = instance.instanceId();
        long left = enqueued() - terminal();
        QuiesceProcess.Exit exit = instance.stop(Signal.KILL);
        assertThat(exit.code()).as("exit status of %s after SIGKILL", instance.name()).isEqualTo(128 + 9);
        Set<Long> running = runningOwnedBy(owner);
        Map<Long, Integer> journalled = journal.completions();
        // Work done but not yet recorded is what a SIGKILL makes run twice (a child may still finish after this read).
        log("SIGKILL %s with %,d jobs not yet terminal: it held %d RUNNING, %d of them already in the journal: %s",
                instance.name(), left, running.size(), running.stream().filter(journalled::containsKey).count(), running);
        long launched = System.nanoTime();
        instance.start();
        log("%s ready again after %.1f s", instance.name(), seconds(launched));
        return running;
    }

    /** The final stop: SIGTERM, exit 0, a summary that did not overrun. */
    private void stopCleanly(FleetInstance instance) {
        QuiesceProcess.Exit exit = instance.stop(Signal.TERM);
        List<String> message = instance.lastTerminationMessage();
        log("final SIGTERM %s: exit %d after %.1f s; %s", instance.name(), exit.code(), exit.sinceSignal().toMillis() / 1000.0,
                message);
        assertExitedCleanly(instance, exit, message);
    }

    private static void assertExitedCleanly(FleetInstance instance, QuiesceProcess.Exit exit, List<String> message) {
        // The JVM ends with 128 + SIGTERM after its graceful stop (the image's tini reports that as 0, README).
        assertThat(exit.code()).as("exit status of %s after SIGTERM", instance.name()).isIn(0, 128 + 15);
        assertThat(exit.survivors()).as("descendants of %s alive after its exit", instance.name()).isEmpty();
        assertThat(message).as("shutdown summary of %s", instance.name()).isNotEmpty();
        assertThat(message.getFirst()).as("outcome of the stop of %s: %s", instance.name(), message)
                .doesNotStartWith("overran");
        assertThat(message).as("jobs at the stop of %s", instance.name())
                .anySatisfy(line -> assertThat(line).startsWith("jobs: ").endsWith("abandoned 0, not released 0"));
    }

    /**
     * Waits until {@code instance} runs jobs of its own, so that the signal meets work in flight; returns how many.
     * Fails only if the backlog ran out first: the disruption must happen while the fleet works.
     */
    private int awaitBusy(FleetInstance instance) {
        String owner = instance.instanceId();
        int[] running = {0};
        await(instance.name() + " running jobs of its own, with jobs still to do").atMost(BUSY_BOUND)
                .pollInterval(Duration.ofMillis(20))
                .failFast("the wave was over before the disruption", () -> terminal() == enqueued())
                .until(() -> {
                    running[0] = (int) instance.api().jobs("state=RUNNING&limit=1000").stream()
                            .filter(job -> owner.equals(text(job, "owner"))).count();
                    return running[0] > 0;
                });
        return running[0];
    }

    private Set<Long> runningOwnedBy(String owner) {
        return db.jobs().stream().filter(row -> owner.equals(row.owner()) && row.state().equals("RUNNING"))
                .map(JobRow::id).collect(Collectors.toCollection(TreeSet::new));
    }

    private long enqueued() {
        return db.states().values().stream().mapToLong(Long::longValue).sum();
    }

    private long terminal() {
        Map<String, Long> states = db.states();
        return states.getOrDefault("SUCCEEDED", 0L) + states.getOrDefault("FAILED", 0L)
                + states.getOrDefault("CANCELLED", 0L);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void log(String format, Object... args) {
        System.out.printf("FLEET " + format + "%n", args);
    }
}

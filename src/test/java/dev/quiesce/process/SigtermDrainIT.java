package dev.quiesce.process;

import dev.quiesce.testing.JobsDb;
import dev.quiesce.testing.JobsDb.JobRow;
import dev.quiesce.testing.QuiesceApi;
import dev.quiesce.testing.QuiesceProcess;
import dev.quiesce.testing.QuiesceProcesses;
import dev.quiesce.testing.Signal;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.quiesce.testing.QuiesceApi.id;
import static dev.quiesce.testing.QuiesceApi.instant;
import static dev.quiesce.testing.QuiesceApi.isTerminal;
import static dev.quiesce.testing.QuiesceApi.jobRequest;
import static dev.quiesce.testing.QuiesceApi.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A busy service stopped by SIGTERM (Kubernetes) or SIGINT (Ctrl+C) drains what it can inside the budget,
 * hands back the rest without charging the jobs an attempt, and exits by itself; a restart on the same data
 * finishes every job, each one's work completing exactly once (DESIGN §1.1, §1.2, §3 release, §4).
 */
class SigtermDrainIT {

    private static final int JOBS = 300;
    private static final Duration GRACE_PERIOD = Duration.ofSeconds(30);
    /** Longer than any short job (at most 500 ms), shorter than what remains of a long job (4 s) signalled early. */
    private static final Duration DRAIN = Duration.ofSeconds(2);
    private static final Duration LONG_JOB = Duration.ofSeconds(4);

    @RegisterExtension
    final QuiesceProcesses quiesce = new QuiesceProcesses();

    /** The stop signals: Kubernetes sends TERM, Ctrl+C in a terminal sends INT. */
    enum StopSignal {
        TERM(15), INT(2);

        final int number;

        StopSignal(int number) {
            this.number = number;
        }
    }

    @ParameterizedTest(name = "on SIG{0}")
    @EnumSource(StopSignal.class)
    void aSignalledServiceDrainsHandsBackTheRestAndARestartCompletesEveryJobExactlyOnce(StopSignal signal) {
        Journal journal = new Journal(quiesce.file("journal.txt"));
        String[] options = {
                "--quiesce.worker.threads=8",
                "--quiesce.shutdown.grace-period=" + GRACE_PERIOD.toSeconds() + "s",
                // A short drain so that the long jobs in flight are certainly interrupted and released,
                // while the short ones still finish inside it.
                "--quiesce.shutdown.drain-timeout=" + DRAIN.toSeconds() + "s"};
        QuiesceProcess first = quiesce.start(options);
        QuiesceApi api = first.api();

        List<Map<String, Object>> requests = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            requests.add(mixedJob(i, journal));
        }
        List<JsonNode> created = api.enqueueAll(requests);
        Map<Long, String> kindById = new HashMap<>();
        for (int i = 0; i < JOBS; i++) {
            kindById.put(id(created.get(i)), kind(i));
        }

        // Signal when about half are done and a long job has just started, so that the stop meets finished,
        // running-short, running-long (certain to outlast the drain: released) and never-started jobs.
        // The service and this test share the machine's clock.
        await("half of the jobs terminal and a long job running").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    List<JsonNode> jobs = api.jobs("limit=1000");
                    long terminal = jobs.stream().filter(job -> isTerminal(state(job))).count();
                    Instant recently = Instant.now().minus(LONG_JOB.minus(DRAIN).minusSeconds(1));
                    boolean longRunning = jobs.stream().anyMatch(job -> "RUNNING".equals(state(job))
                            && "long".equals(kindById.get(id(job)))
                            && instant(job, "startedAt") != null && instant(job, "startedAt").isAfter(recently));
                    return terminal >= JOBS / 2 && longRunning;
                });
        first.signal(Signal.valueOf(signal.name()));
        QuiesceProcess.Exit exit = first.awaitExit(QuiesceProcesses.EXIT_BOUND);

        System.out.printf("SIG%s: exited with %d after %d ms%n", signal, exit.code(), exit.sinceSignal().toMillis());
        assertThat(exit.sinceSignal()).as("time from SIG%s to exit", signal).isLessThan(GRACE_PERIOD);
        assertThat(exit.code()).as("exit status after SIG%s", signal).isIn(0, 128 + signal.number);
        assertThat(exit.survivors()).as("descendants still alive after exit").isEmpty();

        try (JobsDb db = JobsDb.open(quiesce.dataDir())) {
            assertEverythingWasHandedBack(db, kindById, journal);
        }

        QuiesceProcess second = quiesce.start(options);
        QuiesceApi again = second.api();
        await("all jobs terminal after the restart").atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> again.jobs("limit=1000").stream().allMatch(job -> isTerminal(state(job))));

        List<JsonNode> finished = again.jobs("limit=1000");
        assertThat(finished).hasSize(JOBS);
        Map<Long, Integer> completions = journal.completions();
        for (JsonNode job : finished) {
            long id = id(job);
            if (kindById.get(id).equals("fail")) {
                assertThat(state(job)).as("state of fail job %d", id).isEqualTo("FAILED");
                assertThat(completions).as("journal").doesNotContainKey(id);
            } else {
                assertThat(state(job)).as("state of job %d (%s): %s", id, kindById.get(id), job).isEqualTo("SUCCEEDED");
                assertThat(completions.get(id)).as("journal lines of job %d", id).isEqualTo(1);
            }
        }
        assertThat(completions.keySet()).as("journal ids").isSubsetOf(kindById.keySet());
    }

    /**
     * After the stop and before any restart: nothing is left RUNNING or owned, no job was charged for the
     * shutdown, only the long jobs were cut short, and every job the database calls SUCCEEDED really finished,
     * once.
     */
    private static void assertEverythingWasHandedBack(JobsDb db, Map<Long, String> kindById, Journal journal) {
        Map<Long, Integer> completedBeforeRestart = journal.completions();
        List<JobRow> rows = db.jobs();
        assertThat(rows).as("jobs in the database").hasSize(JOBS);
        assertThat(rows).as("state of every job after the stop (terminal or QUEUED, never RUNNING)")
                .allSatisfy(row -> assertThat(row.state()).isIn("QUEUED", "SUCCEEDED", "FAILED"));
        assertThat(rows).as("owner of the QUEUED jobs after the stop")
                .filteredOn(row -> row.state().equals("QUEUED"))
                .allSatisfy(row -> assertThat(row.owner()).isNull());
        // Only 'fail' jobs ever fail an attempt (with maxAttempts 1, straight to FAILED), so a QUEUED job
        // that was charged an attempt was charged for the shutdown.
        assertThat(rows).as("attempts of the QUEUED jobs (an interrupted attempt is refunded)")
                .filteredOn(row -> row.state().equals("QUEUED"))
                .allSatisfy(row -> assertThat(row.attempts()).as("attempts of job %d", row.id()).isZero());
        // The drain outlasts every short job, so only long ones may have been interrupted, and one was.
        assertThat(rows).as("jobs released at the drain deadline (interruptions >= 1)")
                .filteredOn(row -> row.interruptions() >= 1)
                .isNotEmpty()
                .allSatisfy(row -> assertThat(row.state()).isEqualTo("QUEUED"))
                .allSatisfy(row -> assertThat(kindById.get(row.id())).as("kind of released job %d", row.id())
                        .isEqualTo("long"));
        assertThat(rows).as("state of the 'fail' jobs")
                .filteredOn(row -> kindById.get(row.id()).equals("fail"))
                .allSatisfy(row -> assertThat(row.state()).isIn("QUEUED", "FAILED"));
        Set<Long> succeeded = rows.stream().filter(row -> row.state().equals("SUCCEEDED"))
                .map(JobRow::id).collect(Collectors.toSet());
        assertThat(completedBeforeRestart.keySet()).as("journal vs SUCCEEDED before restart")
                .containsExactlyInAnyOrderElementsOf(succeeded);
        assertThat(completedBeforeRestart.values()).as("journal lines per job before restart")
                .allSatisfy(count -> assertThat(count).isEqualTo(1));
        assertThat(db.workerStates()).as("workers rows after a clean stop").containsExactly("STOPPED");
    }

    /** About 10% fail (maxAttempts 1), 3% long sleeps, a third sha256 of 1-4 MiB, the rest sleeps of 50-500 ms. */
    private static Map<String, Object> mixedJob(int i, Journal journal) {
        return switch (kind(i)) {
            case "fail" -> jobRequest("fail", 0, 1, "message", "job " + i + " fails on purpose");
            case "long" -> jobRequest("sleep", 0, 5, "ms", LONG_JOB.toMillis(), "journal", journal.path());
            case "sha256" -> jobRequest("sha256", 0, 5, "mib", 1 + i % 4, "seed", i, "journal", journal.path());
            default -> jobRequest("sleep", 0, 5, "ms", 50 + (i * 37) % 451, "journal", journal.path());
        };
    }

    private static String kind(int i) {
        if (i % 10 == 9) {
            return "fail";
        }
        if (i % 30 == 5) {
            return "long";
        }
        return i % 3 == 0 ? "sha256" : "sleep";
    }
}

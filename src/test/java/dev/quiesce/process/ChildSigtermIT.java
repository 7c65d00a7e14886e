package dev.quiesce.process;

import dev.quiesce.testing.JobsDb;
import dev.quiesce.testing.JobsDb.JobRow;
import dev.quiesce.testing.ProcScan;
import dev.quiesce.testing.ProcScan.Proc;
import dev.quiesce.testing.QuiesceApi;
import dev.quiesce.testing.QuiesceProcess;
import dev.quiesce.testing.QuiesceProcesses;
import dev.quiesce.testing.Signal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.quiesce.testing.QuiesceApi.jobRequest;
import static dev.quiesce.testing.QuiesceApi.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGTERM under child load: the dispatcher drains the child tasks that finish in time, cancels the rest at the
 * drain deadline, kills the children whose tasks ignore the cancel ({@code hang}) after {@code cancel-grace}
 * and hands their jobs back; the pool then terminates every child. The service exits by itself inside the
 * grace period, every job is terminal or QUEUED, and no process of ours is left (DESIGN §1.1–1.3, §4, §5).
 */
class ChildSigtermIT {

    private static final int SLEEPS = 20;
    private static final Duration GRACE_PERIOD = Duration.ofSeconds(12);

    @RegisterExtension
    final ProcessSweep sweep = new ProcessSweep();
    @RegisterExtension
    final QuiesceProcesses quiesce = new QuiesceProcesses();

    @Test
    void aSigtermedServiceUnderChildLoadDrainsKillsTheHungChildrenHandsBackTheirJobsAndLeavesNoProcess() {
        Journal journal = new Journal(quiesce.file("journal.txt"));
        QuiesceProcess service = quiesce.start(
                "--quiesce.routing.sleep=child",
                "--quiesce.children.size=4",
                "--quiesce.shutdown.grace-period=" + GRACE_PERIOD.toSeconds() + "s",
                "--quiesce.shutdown.drain-timeout=3s",
                "--quiesce.shutdown.cancel-grace=1s",
                "--quiesce.shutdown.child-stop-timeout=3s",
                "--quiesce.shutdown.margin=2s");
        Proc serviceProc = sweep.watchService(service.pid());
        QuiesceApi api = service.api();

        // The hangs first (higher priority), so they hold two children when the signal comes.
        List<Map<String, Object>> requests = new ArrayList<>();
        requests.add(jobRequest("hang", 9, 3));
        requests.add(jobRequest("hang", 9, 3));
        for (int i = 0; i < SLEEPS; i++) {
            requests.add(jobRequest("sleep", 0, 3, "ms", 300 + (i * 173) % 1201, "journal", journal.path()));
        }
        List<Long> ids = api.enqueueAll(requests).stream().map(QuiesceApi::id).toList();
        Set<Long> hangs = Set.copyOf(ids.subList(0, 2));

        await("both hangs running and some child sleeps done").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> hangs.stream().allMatch(id -> "RUNNING".equals(state(api.job(id))))
                        && api.jobs("state=SUCCEEDED&limit=1000").size() >= 4
                        && api.jobs("state=RUNNING&limit=1000").size() >= 3);
        List<Proc> before = ProcScan.ofService(service.pid());
        assertThat(before).as("processes of ours before the signal").filteredOn(Proc::isChildJvm).hasSize(4);

        service.signal(Signal.TERM);
        QuiesceProcess.Exit exit = service.awaitExit(QuiesceProcesses.EXIT_BOUND);
        List<Proc> left = ProcScan.ofService(serviceProc);
        System.out.printf("CHILD-SIGTERM exited with %d after %d ms (grace period %d s)%n", exit.code(),
                exit.sinceSignal().toMillis(), GRACE_PERIOD.toSeconds());

        assertThat(exit.sinceSignal()).as("time from SIGTERM to exit").isLessThan(GRACE_PERIOD);
        assertThat(exit.code()).as("exit status after SIGTERM").isIn(0, 128 + 15);
        assertThat(left).as("processes of ours alive after the service exited").isEmpty();
        assertThat(before).as("processes of ours at the signal, alive after the exit")
                .filteredOn(Proc::isAlive).isEmpty();
        assertThat(service.log().text()).as("log").contains("Dispatcher stopped");

        try (JobsDb db = JobsDb.open(quiesce.dataDir())) {
            List<JobRow> rows = db.jobs();
            assertThat(rows).as("jobs in the database").hasSize(SLEEPS + 2);
            assertThat(rows).as("every job terminal or QUEUED after the stop, none RUNNING")
                    .allSatisfy(row -> assertThat(row.state()).as("job %d", row.id())
                            .isIn("QUEUED", "SUCCEEDED", "FAILED", "CANCELLED"));
            assertThat(rows).as("jobs the stop handed back: unowned, not charged").filteredOn(r -> r.state().equals("QUEUED"))
                    .allSatisfy(row -> {
                        assertThat(row.owner()).as("owner of job %d", row.id()).isNull();
                        assertThat(row.attempts()).as("attempts of job %d", row.id()).isZero();
                        assertThat(row.crashes()).as("crashes of job %d", row.id()).isZero();
                    });
            assertThat(rows).as("the hang jobs: killed with their children at the deadline and handed back")
                    .filteredOn(row -> hangs.contains(row.id()))
                    .hasSize(2)
                    .allSatisfy(row -> {
                        assertThat(row.state()).as("state of hang job %d", row.id()).isEqualTo("QUEUED");
                        assertThat(row.interruptions()).as("interruptions of hang job %d", row.id()).isEqualTo(1);
                    });
            assertThat(rows).as("the sleep jobs: none failed").filteredOn(row -> !hangs.contains(row.id()))
                    .allSatisfy(row -> assertThat(row.state()).as("job %d", row.id()).isIn("QUEUED", "SUCCEEDED"));
            Set<Long> succeeded = rows.stream().filter(row -> row.state().equals("SUCCEEDED")).map(JobRow::id)
                    .collect(Collectors.toSet());
            assertThat(journal.completions().keySet()).as("sleeps whose work completed vs SUCCEEDED")
                    .containsExactlyInAnyOrderElementsOf(succeeded);
            assertThat(db.workerStates()).as("workers rows after a clean stop").containsExactly("STOPPED");
        }
    }
}

package dev.quiesce.process;

import dev.quiesce.testing.JobsDb;
import dev.quiesce.testing.ProcScan;
import dev.quiesce.testing.ProcScan.Proc;
import dev.quiesce.testing.QuiesceApi;
import dev.quiesce.testing.QuiesceProcess;
import dev.quiesce.testing.QuiesceProcesses;
import dev.quiesce.testing.Signal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static dev.quiesce.testing.QuiesceApi.id;
import static dev.quiesce.testing.QuiesceApi.isTerminal;
import static dev.quiesce.testing.QuiesceApi.jobRequest;
import static dev.quiesce.testing.QuiesceApi.state;
import static dev.quiesce.testing.QuiesceApi.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A SIGKILLed service runs no code at all, so its children must see to their own death: stdin EOF and the
 * parent-death signal end every child JVM, and each child kills what it started — daemonized grandchildren
 * included — on the way out (DESIGN §1.4, §5 parent death). A restart on the same data directory then runs
 * the dead instance's jobs again, each charged one crash (§3 reclaim).
 */
class ChildSigkillIT {

    /** How long each spawn task keeps running after it started its grandchild: far beyond the test's kill. */
    private static final long HOLD_MS = 120_000;
    /** Bound for the whole tree to be gone; the contract's figure is 1 s, this only catches a leak. */
    private static final Duration TREE_GONE_BOUND = Duration.ofSeconds(10);

    @RegisterExtension
    final ProcessSweep sweep = new ProcessSweep();
    @RegisterExtension
    final QuiesceProcesses quiesce = new QuiesceProcesses();

    @Test
    void whenTheServiceIsSigkilledEveryChildAndGrandchildDiesAndARestartRerunsTheirJobsChargedOneCrash() {
        QuiesceProcess service = quiesce.start("--quiesce.children.size=2");
        Proc serviceProc = sweep.watchService(service.pid());
        QuiesceApi api = service.api();

        long plain = id(api.enqueue(jobRequest("spawn", 0, 3, "daemonize", false, "seconds", 600, "holdMs", HOLD_MS)));
        long daemonized = id(api.enqueue(jobRequest("spawn", 0, 3, "daemonize", true, "seconds", 600, "holdMs", HOLD_MS)));
        await("both spawn jobs RUNNING and their grandchildren alive").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> "RUNNING".equals(state(api.job(plain))) && "RUNNING".equals(state(api.job(daemonized)))
                        && grandchildren(service.pid()).size() == 2);
        String firstOwner = text(api.job(plain), "owner");

        List<Proc> tree = ProcScan.ofService(service.pid());
        List<Proc> childJvms = tree.stream().filter(Proc::isChildJvm).toList();
        List<Proc> sleeps = grandchildren(service.pid());
        assertThat(childJvms).as("child JVMs of service %d before the kill; all ours: %s", service.pid(), tree)
                .hasSize(2);
        assertThat(sleeps).as("grandchildren before the kill")
                .anySatisfy(p -> assertThat(p.isSessionLeader()).as("a plain grandchild: %s", p).isFalse())
                .anySatisfy(p -> assertThat(p.isSessionLeader()).as("a daemonized grandchild (own session): %s", p).isTrue());
        System.out.println("PARENT-SIGKILL tree before the kill: " + tree);

        long killedAt = System.nanoTime();
        ProcessHandle.of(service.pid()).orElseThrow().destroyForcibly();
        Duration lastGone = awaitTreeGone(serviceProc, tree, killedAt);
        System.out.printf("PARENT-SIGKILL last-descendant-gone-ms=%d (%d child JVMs, %d grandchildren; target <= 1000)%n",
                lastGone.toMillis(), childJvms.size(), sleeps.size());

        QuiesceProcess.Exit exit = service.awaitExit(QuiesceProcesses.EXIT_BOUND);
        assertThat(exit.code()).as("exit status after SIGKILL").isEqualTo(128 + 9);
        try (JobsDb db = JobsDb.open(quiesce.dataDir())) {
            assertThat(db.jobsById().keySet()).as("jobs accepted with a 201 before the SIGKILL, in the database after"
                    + " it (DESIGN §1.1: durable before the 201)").contains(plain, daemonized);
        }

        QuiesceProcess restarted = quiesce.start("--quiesce.children.size=2");
        Proc restartedProc = sweep.watchService(restarted.pid());
        QuiesceApi again = restarted.api();
        assertThat(restarted.log().text()).as("the restart finds no leftover of the killed run to kill")
                .doesNotContain("left alive by a previous run");
        for (long job : List.of(plain, daemonized)) {
            await("job " + job + " running again under the new instance").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        JsonNode now = again.job(job);
                        return isTerminal(state(now))
                                || "RUNNING".equals(state(now)) && !firstOwner.equals(text(now, "owner"));
                    });
            assertThat(again.post("/jobs/" + job + "/cancel", "").status()).as("cancel of re-run job %d", job)
                    .isIn(200, 202);
        }
        for (long job : List.of(plain, daemonized)) {
            await("re-run job " + job + " terminal after its cancel").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> isTerminal(state(again.job(job))));
            JsonNode done = again.job(job);
            assertThat(state(done)).as("job %d after its re-run was cancelled: %s", job, done).isEqualTo("CANCELLED");
            assertThat(done.get("crashes").asInt()).as("crashes of job %d (its first run died with the service): %s",
                    job, done).isEqualTo(1);
        }

        restarted.signal(Signal.TERM);
        QuiesceProcess.Exit stopped = restarted.awaitExit(QuiesceProcesses.EXIT_BOUND);
        assertThat(stopped.code()).as("exit status after SIGTERM").isIn(0, 128 + 15);
        assertThat(ProcScan.ofService(restartedProc)).as("processes of the restarted service after its exit").isEmpty();
    }

    /** The {@code sleep} grandchildren of the service (processes of ours that are not child JVMs). */
    private static List<Proc> grandchildren(long servicePid) {
        return ProcScan.ofService(servicePid).stream()
                .filter(p -> !p.isChildJvm() && p.cmdline().startsWith("sleep"))
                .toList();
    }

    /**
     * Polls /proc until no process of {@code tree} is alive and the scan finds nothing else of the service's;
     * returns the time from the kill to the first such observation.
     */
    private static Duration awaitTreeGone(Proc service, List<Proc> tree, long killedAt) {
        Set<Proc> watched = new LinkedHashSet<>(tree);
        long deadline = killedAt + TREE_GONE_BOUND.toNanos();
        while (true) {
            watched.removeIf(p -> !p.isAlive());
            if (watched.isEmpty()) {
                List<Proc> more = ProcScan.ofService(service);
                if (more.isEmpty()) {
                    return Duration.ofNanos(System.nanoTime() - killedAt);
                }
                watched.addAll(more);
            }
            if (System.nanoTime() - deadline > 0) {
                List<Proc> survivors = new ArrayList<>(watched);
                survivors.addAll(ProcScan.ofService(service));
                throw new AssertionError("processes of service " + service.pid() + " still alive "
                        + TREE_GONE_BOUND + " after its SIGKILL: " + survivors);
            }
            try {
                Thread.sleep(0, (int) TimeUnit.MICROSECONDS.toNanos(500));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}

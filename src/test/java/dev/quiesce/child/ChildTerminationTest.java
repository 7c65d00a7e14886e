package dev.quiesce.child;

import dev.quiesce.child.ChildTaskOutcome.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Stopping the pool: every child and every process they spawned is gone, in parallel, inside one deadline. */
class ChildTerminationTest {

    @TempDir
    Path dataDir;
    private PoolFixture fixture;

    @AfterEach
    void stopPool() throws InterruptedException {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void childrenThatIgnoreEverythingButSigkillAreAllKilledInParallelAtTheDeadline() throws Exception {
        Duration childStopTimeout = Duration.ofSeconds(2);
        fixture = new PoolFixture(ChildProperties.defaults().withSize(4), dataDir, Duration.ZERO, childStopTimeout,
                SigtermIgnoringChild.class.getName());
        fixture.pool.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> fixture.pool.idle() == 4);
        List<Long> pids = fixture.pool.children().stream().map(ChildView::pid).toList();
        for (int i = 0; i < 4; i++) {
            fixture.pool.run(new ChildTaskRequest(i, 1, "hang", "{}"), outcome -> { });
        }

        long start = System.nanoTime();
        TerminationResult result = fixture.stop();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(result.children()).hasSize(4).allSatisfy(end -> assertThat(end.how()).isEqualTo(ChildExit.KILLED));
        assertThat(took).isGreaterThanOrEqualTo(childStopTimeout.multipliedBy(3).dividedBy(4)).isLessThan(childStopTimeout.multipliedBy(2));
        assertThat(pids).allSatisfy(pid -> assertThat(ProcessHandle.of(pid)).isEmpty());
        assertThat(fixture.counter("quiesce.child.exits", "how", "killed")).isEqualTo(4.0);
    }

    @Test
    void childrenStuckInATaskThatIgnoresCancelAreTerminatedBySigterm() throws Exception {
        fixture = new PoolFixture(ChildProperties.defaults().withSize(2), dataDir, Duration.ZERO, Duration.ofSeconds(2),
                ChildCommand.CHILD_MAIN);
        fixture.pool.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> fixture.pool.idle() == 2);
        List<CompletableFuture<ChildTaskOutcome>> outcomes = List.of(new CompletableFuture<>(), new CompletableFuture<>());
        for (int i = 0; i < 2; i++) {
            fixture.pool.run(new ChildTaskRequest(i, 1, "hang", "{}"), outcomes.get(i)::complete);
        }

        TerminationResult result = fixture.stop();

        assertThat(result.children()).hasSize(2).allSatisfy(end -> assertThat(end.how()).isEqualTo(ChildExit.TERMINATED));
        for (CompletableFuture<ChildTaskOutcome> outcome : outcomes) {
            assertThat(outcome.get(5, TimeUnit.SECONDS).kind()).isEqualTo(Kind.KILLED);
        }
    }

    @Test
    void idleChildrenStopGracefully() throws Exception {
        fixture = PoolFixture.real(ChildProperties.defaults().withSize(2), dataDir);
        fixture.pool.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> fixture.pool.idle() == 2);

        TerminationResult result = fixture.stop();

        assertThat(result.children()).hasSize(2).allSatisfy(end -> assertThat(end.how()).isEqualTo(ChildExit.GRACEFUL));
        assertThat(result.took()).isLessThan(Duration.ofSeconds(2));
        assertThat(fixture.counter("quiesce.child.exits", "how", "graceful")).isEqualTo(2.0);
        assertThat(fixture.pool.isRunning()).isFalse();
    }

    @Test
    void grandchildrenSpawnedByTasksAreGoneAfterTermination() throws Exception {
        fixture = PoolFixture.real(ChildProperties.defaults().withSize(2), dataDir);
        fixture.pool.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> fixture.pool.idle() == 2);
        CompletableFuture<ChildTaskOutcome> daemonized = new CompletableFuture<>();
        CompletableFuture<ChildTaskOutcome> plain = new CompletableFuture<>();
        fixture.pool.run(new ChildTaskRequest(1, 1, "spawn", "{\"daemonize\": true, \"seconds\": 120, \"holdMs\": 120000}"),
                daemonized::complete);
        fixture.pool.run(new ChildTaskRequest(2, 1, "spawn", "{\"seconds\": 120, \"holdMs\": 120000}"), plain::complete);
        await().atMost(Duration.ofSeconds(20)).until(() -> sleepsUnder(fixture).size() == 2);
        List<ProcessHandle> sleeps = sleepsUnder(fixture);

        fixture.stop();

        assertThat(sleeps).allSatisfy(sleep -> assertThat(ProcessTree.isGone(sleep)).as("pid %d gone", sleep.pid()).isTrue());
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(ProcessHandle.current().children().filter(h -> h.info().command().orElse("").endsWith("sleep")).toList()).isEmpty());
    }

    @Test
    void aDaemonizedGrandchildOfACrashedChildIsAdoptedKilledAndReaped() throws Exception {
        fixture = PoolFixture.real(ChildProperties.defaults().withSize(1), dataDir);
        fixture.pool.start();
        long pid = ChildPoolTest.awaitOneChild(fixture.pool);
        CompletableFuture<ChildTaskOutcome> outcome = new CompletableFuture<>();
        fixture.pool.run(new ChildTaskRequest(1, 1, "spawn", "{\"daemonize\": true, \"seconds\": 120, \"holdMs\": 120000}"),
                outcome::complete);
        // Only once setsid's intermediate process is gone is the sleep the child's own (the child is its subreaper);
        // killing the child before that would hand the intermediate to us as a second adopted process.
        ProcessHandle sleep = await().atMost(Duration.ofSeconds(20))
                .until(() -> daemonizedSleepOf(pid), Optional::isPresent).orElseThrow();
        assertThat(outcome).as("the spawn task still holds its grandchild").isNotDone();

        ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL: the child cannot kill its descendants

        assertThat(outcome.get(10, TimeUnit.SECONDS).kind()).isEqualTo(Kind.CRASHED);
        // Reaped, not only killed: no /proc entry left, zombie included. The count follows the reap itself.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(ProcStat.read(sleep.pid())).as("pid %d", sleep.pid()).isEmpty();
            assertThat(fixture.pool.zombiesReaped()).isGreaterThanOrEqualTo(1);
        });
        assertThat(fixture.pool.adoptedKilled()).isEqualTo(1);
    }

    /** The task's daemonized {@code sleep}, once it has been re-parented to the child itself. */
    private static Optional<ProcessHandle> daemonizedSleepOf(long childPid) {
        return ProcessHandle.of(childPid).stream().flatMap(ProcessHandle::children)
                .filter(h -> h.info().command().orElse("").endsWith("sleep"))
                .findFirst();
    }

    private static List<ProcessHandle> sleepsUnder(PoolFixture fixture) {
        return fixture.pool.children().stream()
                .flatMap(c -> ProcessHandle.of(c.pid()).stream())
                .flatMap(ProcessHandle::descendants)
                .filter(h -> h.info().command().orElse("").endsWith("sleep"))
                .toList();
    }
}

package dev.quiesce.child;

import dev.quiesce.child.ChildTaskOutcome.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Stopping the pool: every child and every process they spawned is gone, in parallel, inside one deadline. */
class ChildTerminationTest {

    @TempDir
    Path dataDir;

    @Test
    void childrenThatIgnoreEverythingButSigkillAreAllKilledInParallelAtTheDeadline() throws Exception {
        Duration childStopTimeout = Duration.ofSeconds(2);
        PoolFixture fixture = new PoolFixture(ChildProperties.defaults().withSize(4), dataDir, Duration.ZERO, childStopTimeout,
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
        PoolFixture fixture = new PoolFixture(ChildProperties.defaults().withSize(2), dataDir, Duration.ZERO, Duration.ofSeconds(2),
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
        PoolFixture fixture = PoolFixture.real(ChildProperties.defaults().withSize(2), dataDir);
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
        PoolFixture fixture = PoolFixture.real(ChildProperties.defaults().withSize(2), dataDir);
        fixture.pool.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> fixture.pool.idle() == 2);
        CompletableFuture<ChildTaskOutcome> daemonized = new CompletableFuture<>();
        CompletableFuture<ChildTaskOutcome> plain = new CompletableFuture<>();
        fixture.pool.run(new ChildTaskRequest(1, 1, "spawn", "{\"daemonize\": true, \"holdMs\": 60000}"), daemonized::complete);
        fixture.pool.run(new ChildTaskRequest(2, 1, "spawn", "{\"holdMs\": 60000}"), plain::complete);
        await().atMost(Duration.ofSeconds(20)).until(() -> sleepsUnder(fixture).size() == 2);
        List<ProcessHandle> sleeps = sleepsUnder(fixture);

        fixture.stop();

        assertThat(sleeps).allSatisfy(sleep -> assertThat(ProcessTree.isGone(sleep)).as("pid %d gone", sleep.pid()).isTrue());
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(ProcessHandle.current().children().filter(h -> h.info().command().orElse("").endsWith("sleep")).toList()).isEmpty());
    }

    @Test
    void aDaemonizedGrandchildOfACrashedChildIsAdoptedKilledAndReaped() throws Exception {
        PoolFixture fixture = PoolFixture.real(ChildProperties.defaults().withSize(1), dataDir);
        fixture.pool.start();
        long pid = ChildPoolTest.awaitOneChild(fixture.pool);
        fixture.pool.run(new ChildTaskRequest(1, 1, "spawn", "{\"daemonize\": true, \"holdMs\": 60000}"), o -> { });
        await().atMost(Duration.ofSeconds(20)).until(() -> sleepsUnder(fixture).size() == 1);
        ProcessHandle sleep = sleepsUnder(fixture).getFirst();

        ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL: the child cannot kill its descendants

        await().atMost(Duration.ofSeconds(10)).until(() -> ProcStat.read(sleep.pid()).isEmpty());
        assertThat(fixture.pool.adoptedKilled()).isEqualTo(1);
        assertThat(fixture.pool.zombiesReaped()).isGreaterThanOrEqualTo(1);
        fixture.stop();
    }

    private static List<ProcessHandle> sleepsUnder(PoolFixture fixture) {
        return fixture.pool.children().stream()
                .flatMap(c -> ProcessHandle.of(c.pid()).stream())
                .flatMap(ProcessHandle::descendants)
                .filter(h -> h.info().command().orElse("").endsWith("sleep"))
                .toList();
    }
}

package dev.quiesce.child.worker;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Nothing a task starts outlives it: not after the task, not when the service closes stdin or sends
 * SIGTERM, daemonized ({@code setsid -f}, re-parented) grandchildren included.
 *
 * <p>After a task, "gone" means no {@code /proc} entry at all: the long-lived child must not collect
 * zombies. When the child itself exits, a grandchild killed in its last milliseconds may die after it and
 * be re-parented to init as a zombie; init reaps it in its own time (this VM's init takes seconds), so
 * there "dead" (gone, or a zombie) is the outcome that proves the kill.
 */
class ChildDescendantsTest {

    private static final Duration BOUND = Duration.ofSeconds(30);

    @ParameterizedTest(name = "daemonize={0}")
    @ValueSource(booleans = {false, true})
    void aGrandchildLeftBehindByATaskIsKilledAndReapedBeforeTheResultArrives(boolean daemonize) {
        try (ChildUnderTest child = ChildUnderTest.start()) {
            child.awaitHello();

            Frame.Result result = child.run(17, "spawn", "{\"daemonize\": " + daemonize + ", \"seconds\": 600}");

            assertThat(result.ok()).as(result.text()).isTrue();
            long grandchild = Long.parseLong(result.text());
            assertThat(grandchild).isNotEqualTo(child.pid());
            assertThat(ProcessHandle.of(grandchild).map(ProcessHandle::isAlive).orElse(false))
                    .as("killed before the result was sent").isFalse();
            await().atMost(Duration.ofSeconds(5)).until(() -> gone(grandchild));
            child.awaitStderr(line -> line.equals("quiesce-child: killed 1 leftover descendant(s) and reaped 0 zombie(s) of job 17"));
            assertThat(child.lastStats().leftoversKilled()).as("leftovers the stats report to the service").isEqualTo(1);
            assertThat(child.lastStats().zombiesReaped()).isZero();
            assertThat(child.run(18, "noop", "{}").ok()).isTrue();
            assertThat(child.lastStats().leftoversKilled()).as("a clean task's stats").isZero();
        }
    }

    @org.junit.jupiter.api.Test
    void aDaemonizedGrandchildThatExitedOnItsOwnIsReapedAfterTheTaskAndReportedAsAZombie() {
        try (ChildUnderTest child = ChildUnderTest.start()) {
            child.awaitHello();

            // The grandchild sleeps 1 s and exits while the task still holds: a zombie with only this child to reap it.
            Frame.Result result = child.run(21, "spawn", "{\"daemonize\": true, \"seconds\": 1, \"holdMs\": 2500}");

            assertThat(result.ok()).as(result.text()).isTrue();
            long grandchild = Long.parseLong(result.text());
            assertThat(child.lastStats().zombiesReaped()).as("zombies the stats report to the service").isEqualTo(1);
            assertThat(child.lastStats().leftoversKilled()).as("nothing was alive to kill").isZero();
            assertThat(gone(grandchild)).as("the zombie was reaped, so its pid is gone").isTrue();
        }
    }

    @ParameterizedTest(name = "daemonize={0}")
    @ValueSource(booleans = {false, true})
    void closingStdinKillsTheRunningTasksGrandchildrenAndTheChildExitsFast(boolean daemonize) {
        try (ChildUnderTest child = ChildUnderTest.start()) {
            child.awaitHello();
            child.task(1, "spawn", "{\"daemonize\": " + daemonize + ", \"seconds\": 600, \"holdMs\": 600000}");
            List<Long> sleeps = awaitSleepingDescendant(child);

            long closed = System.nanoTime();
            child.closeStdin();

            assertThat(child.awaitExit(BOUND)).isZero();
            long exitMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closed);
            System.err.printf("stdin EOF -> child exit with a %s grandchild: %d ms%n", daemonize ? "daemonized" : "plain", exitMillis);
            await().atMost(Duration.ofSeconds(2)).until(() -> sleeps.stream().allMatch(ChildDescendantsTest::dead));
        }
    }

    @ParameterizedTest(name = "daemonize={0}")
    @ValueSource(booleans = {false, true})
    void sigtermToTheChildKillsTheRunningTasksGrandchildrenFirst(boolean daemonize) {
        try (ChildUnderTest child = ChildUnderTest.start()) {
            child.awaitHello();
            child.task(1, "spawn", "{\"daemonize\": " + daemonize + ", \"seconds\": 600, \"holdMs\": 600000}");
            List<Long> sleeps = awaitSleepingDescendant(child);

            child.process().toHandle().destroy(); // SIGTERM, as the service's terminator sends it

            assertThat(child.awaitExit(BOUND)).isEqualTo(ChildExitCode.TERMINATED.code());
            await().atMost(Duration.ofSeconds(2)).until(() -> sleeps.stream().allMatch(ChildDescendantsTest::dead));
            child.awaitStderr(line -> line.equals("quiesce-child: exiting: killed 1 descendant(s)"));
        }
    }

    @org.junit.jupiter.api.Test
    void systemExitInATaskStillKillsWhatTheTaskStarted() {
        try (ChildUnderTest child = ChildUnderTest.start()) {
            child.awaitHello();
            child.task(1, "exit", "{\"spawnSeconds\": 600}");

            assertThat(child.awaitExit(BOUND)).isZero();
            String started = child.awaitStderr(line -> line.startsWith("exit task of job 1: started sleep 600 as pid "));
            long grandchild = Long.parseLong(started.substring(started.lastIndexOf(' ') + 1));
            await().atMost(Duration.ofSeconds(2)).until(() -> dead(grandchild));
            child.awaitStderr(line -> line.equals("quiesce-child: exiting: killed 1 descendant(s)"));
        }
    }

    /** Waits until the child has a {@code sleep} descendant (the task's grandchild) and returns their pids. */
    private static List<Long> awaitSleepingDescendant(ChildUnderTest child) {
        return await().atMost(BOUND).until(() -> child.process().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/sleep")).orElse(false))
                .map(ProcessHandle::pid).toList(), pids -> !pids.isEmpty());
    }

    private static boolean gone(long pid) {
        return !Files.exists(Path.of("/proc", Long.toString(pid)));
    }

    private static boolean dead(long pid) {
        Descendants.Stat stat = Descendants.Stat.read(pid);
        return stat == null || stat.state() == 'Z';
    }
}

package dev.quiesce.child;

import dev.quiesce.child.ChildTaskOutcome.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Tasks on real child JVMs: results, crashes, protocol errors and timeouts, each followed by a replacement. */
class ChildPoolTest {

    @TempDir
    Path dataDir;
    private PoolFixture fixture;

    @AfterEach
    void stopPool() throws InterruptedException {
        if (fixture != null) {
            fixture.close();
        }
    }

    private ChildPool start(ChildProperties properties) {
        fixture = PoolFixture.real(properties, dataDir);
        fixture.pool.start();
        return fixture.pool;
    }

    static ChildTaskOutcome run(ChildPool pool, String type, String payload) throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> pool.idle() > 0);
        CompletableFuture<ChildTaskOutcome> outcome = new CompletableFuture<>();
        AtomicInteger calls = new AtomicInteger();
        pool.run(new ChildTaskRequest(1, 1, type, payload), o -> {
            calls.incrementAndGet();
            outcome.complete(o);
        });
        ChildTaskOutcome result = outcome.get(30, TimeUnit.SECONDS);
        Thread.sleep(50);
        assertThat(calls).as("onEnd calls").hasValue(1);
        return result;
    }

    @Test
    void tasksRunInChildrenAndReturnTheirResults() throws Exception {
        ChildPool pool = start(ChildProperties.defaults().withSize(1));

        assertThat(pool.taskTypes()).contains("sleep", "sha256", "noop", "crash", "hang", "garbage", "spawn");
        assertThat(run(pool, "noop", "{}")).isEqualTo(new ChildTaskOutcome(Kind.SUCCEEDED, "ok"));
        assertThat(run(pool, "sleep", "{\"ms\": 10}")).isEqualTo(new ChildTaskOutcome(Kind.SUCCEEDED, "slept 10 ms"));
        assertThat(run(pool, "sleep", "{}").kind()).isEqualTo(Kind.FAILED);
        assertThat(pool.children()).singleElement().satisfies(child -> {
            assertThat(child.tasksServed()).isEqualTo(3);
            assertThat(child.rssBytes()).isPositive();
        });
        assertThat(fixture.counter("quiesce.child.starts", "reason", "initial")).isEqualTo(1.0);
    }

    @Test
    void aTaskWhoseChildCrashesEndsCrashedAndTheReplacementServesTheNextTask() throws Exception {
        ChildPool pool = start(ChildProperties.defaults().withSize(1));
        long firstPid = awaitOneChild(pool);

        ChildTaskOutcome crashed = run(pool, "crash", "{}");

        assertThat(crashed.kind()).isEqualTo(Kind.CRASHED);
        assertThat(crashed.text()).contains("child pid " + firstPid + " exited with exit code 13");
        assertThat(run(pool, "noop", "{}").kind()).isEqualTo(Kind.SUCCEEDED);
        assertThat(pool.children()).singleElement().extracting(ChildView::pid).isNotEqualTo(firstPid);
        assertThat(fixture.counter("quiesce.child.exits", "how", "crashed")).isEqualTo(1.0);
        assertThat(fixture.counter("quiesce.child.starts", "reason", "crash")).isEqualTo(1.0);
    }

    @Test
    void garbageOnTheProtocolEndsTheTaskCrashedWithAProtocolError() throws Exception {
        ChildPool pool = start(ChildProperties.defaults().withSize(1));
        long firstPid = awaitOneChild(pool);

        ChildTaskOutcome outcome = run(pool, "garbage", "{}");

        assertThat(outcome.kind()).isEqualTo(Kind.CRASHED);
        assertThat(outcome.text()).startsWith("protocol error from child pid " + firstPid + ": frame length");
        assertThat(run(pool, "noop", "{}").kind()).isEqualTo(Kind.SUCCEEDED);
    }

    @Test
    void aTaskThatIgnoresItsCancelTimesOutAndItsChildIsReplaced() throws Exception {
        ChildPool pool = start(ChildProperties.defaults().withSize(1).withTaskTimeout(Duration.ofSeconds(2)));
        long firstPid = awaitOneChild(pool);

        ChildTaskOutcome outcome = run(pool, "hang", "{}");

        assertThat(outcome.kind()).isEqualTo(Kind.TIMED_OUT);
        assertThat(outcome.text()).contains("did not stop").contains("child pid " + firstPid + " killed");
        // The outcome is delivered before the kill (see ChildTasks), so the child may still be dying here.
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(firstPid).isEmpty());
        assertThat(run(pool, "noop", "{}").kind()).isEqualTo(Kind.SUCCEEDED);
        assertThat(fixture.counter("quiesce.child.starts", "reason", "timeout")).isEqualTo(1.0);
        assertThat(fixture.counter("quiesce.child.exits", "how", "killed")).isEqualTo(1.0);
    }

    @Test
    void aTaskThatHonoursItsCancelTimesOutAndKeepsItsChild() throws Exception {
        ChildPool pool = start(ChildProperties.defaults().withSize(1).withTaskTimeout(Duration.ofMillis(300)));
        long pid = awaitOneChild(pool);

        ChildTaskOutcome outcome = run(pool, "sleep", "{\"ms\": 60000}");

        assertThat(outcome.kind()).isEqualTo(Kind.TIMED_OUT);
        assertThat(outcome.text()).contains("was cancelled");
        assertThat(run(pool, "noop", "{}").kind()).isEqualTo(Kind.SUCCEEDED);
        assertThat(pool.children()).singleElement().extracting(ChildView::pid).isEqualTo(pid);
    }

    @Test
    void aChildThatRunsOutOfMemorySaysSo() throws Exception {
        ChildPool pool = start(ChildProperties.defaults().withSize(1));

        ChildTaskOutcome outcome = run(pool, "oom", "{}");

        assertThat(outcome.kind()).isEqualTo(Kind.CRASHED);
        assertThat(outcome.text()).startsWith("child ran out of memory");
    }

    @Test
    void killingATaskKillsItsChildAndReplacesIt() throws Exception {
        ChildPool pool = start(ChildProperties.defaults().withSize(1));
        long pid = awaitOneChild(pool);
        CompletableFuture<ChildTaskOutcome> outcome = new CompletableFuture<>();

        ChildTaskHandle handle = pool.run(new ChildTaskRequest(7, 1, "hang", "{}"), outcome::complete);
        assertThat(handle.pid()).isEqualTo(pid);
        handle.kill();

        assertThat(outcome.get(10, TimeUnit.SECONDS).kind()).isEqualTo(Kind.KILLED);
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(pid).isEmpty());
        assertThat(run(pool, "noop", "{}").kind()).isEqualTo(Kind.SUCCEEDED);
    }

    static long awaitOneChild(ChildPool pool) {
        await().atMost(Duration.ofSeconds(20)).until(() -> pool.idle() > 0);
        return pool.children().getFirst().pid();
    }
}

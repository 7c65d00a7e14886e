package dev.quiesce.child;

import dev.quiesce.child.ChildTaskOutcome.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Restarts, degradation and recycling of real child JVMs. */
class ChildSupervisionTest {

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
    void aCrashLoopDegradesThePoolInsteadOfSpinningAndResumeRecoversIt() throws Exception {
        fixture = PoolFixture.real(ChildProperties.defaults().withSize(1).withRestarts(2, Duration.ofMinutes(1)), dataDir);
        ChildPool pool = fixture.pool;
        pool.start();

        for (int crash = 1; crash <= 3; crash++) {
            assertThat(ChildPoolTest.run(pool, "crash", "{}").kind()).isEqualTo(Kind.CRASHED);
        }

        assertThat(pool.isDegraded()).isTrue();
        assertThat(pool.idle()).isZero();
        Thread.sleep(1_000); // time enough for a (wrong) restart to happen
        assertThat(pool.children()).isEmpty();
        assertThat(fixture.counter("quiesce.child.starts", "reason", "crash")).isEqualTo(2.0);
        assertThat(new ChildPoolHealthIndicator(pool).health().getStatus().getCode()).isEqualTo("DOWN");

        pool.resume();

        assertThat(pool.isDegraded()).isFalse();
        assertThat(ChildPoolTest.run(pool, "noop", "{}").kind()).isEqualTo(Kind.SUCCEEDED);
        assertThat(new ChildPoolHealthIndicator(pool).health().getStatus().getCode()).isEqualTo("UP");
    }

    @Test
    void recyclingByTaskCountNeverLeavesThePoolWithoutAReadyChild() throws Exception {
        fixture = PoolFixture.real(ChildProperties.defaults().withSize(2).withMaxTasksPerChild(3), dataDir);
        ChildPool pool = fixture.pool;
        pool.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> pool.idle() == 2);

        AtomicBoolean sampling = new AtomicBoolean(true);
        List<Integer> readySamples = new CopyOnWriteArrayList<>();
        Thread sampler = Thread.ofPlatform().start(() -> {
            while (sampling.get()) {
                readySamples.add((int) pool.children().stream()
                        .filter(c -> c.state() == ChildState.IDLE || c.state() == ChildState.BUSY).count());
                Thread.onSpinWait();
            }
        });
        int tasks = 20;
        for (int i = 0; i < tasks; i++) {
            assertThat(ChildPoolTest.run(pool, "sleep", "{\"ms\": 20}").kind()).isEqualTo(Kind.SUCCEEDED);
        }
        sampling.set(false);
        sampler.join();

        assertThat(readySamples).isNotEmpty().doesNotContain(0);
        assertThat(fixture.counter("quiesce.child.starts", "reason", "recycle")).isGreaterThanOrEqualTo(3.0);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(fixture.counter("quiesce.child.exits", "how", "graceful")).isGreaterThanOrEqualTo(3.0));
        assertThat(fixture.counter("quiesce.child.exits", "how", "crashed")).isZero();
    }

    @Test
    void aChildThatDiesWhileIdleIsReplaced() throws Exception {
        fixture = PoolFixture.real(ChildProperties.defaults().withSize(1), dataDir);
        ChildPool pool = fixture.pool;
        pool.start();
        long pid = ChildPoolTest.awaitOneChild(pool);

        ProcessHandle.of(pid).orElseThrow().destroyForcibly();

        await().atMost(Duration.ofSeconds(20)).until(() -> pool.idle() == 1 && pool.children().getFirst().pid() != pid);
        CompletableFuture<ChildTaskOutcome> outcome = new CompletableFuture<>();
        pool.run(new ChildTaskRequest(2, 1, "noop", "{}"), outcome::complete);
        assertThat(outcome.get(10, TimeUnit.SECONDS).kind()).isEqualTo(Kind.SUCCEEDED);
    }
}

package dev.quiesce.child;

import dev.quiesce.leak.Leaks;
import dev.quiesce.shutdown.ShutdownBudget;
import dev.quiesce.shutdown.ShutdownClock;
import dev.quiesce.shutdown.ShutdownProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Builds pools of real child JVMs outside Spring and stops them the way Spring would. */
final class PoolFixture {

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final Leaks leaks = new Leaks(registry);
    final ChildPool pool;
    private boolean stopped;

    PoolFixture(ChildProperties properties, Path dataDir, Duration cancelGrace, Duration childStopTimeout, String mainClass) {
        ShutdownBudget budget = ShutdownBudget.of(new ShutdownProperties(Duration.ofSeconds(60), Duration.ZERO, Duration.ZERO,
                cancelGrace, childStopTimeout, Duration.ZERO, null));
        pool = new ChildPool(properties, dataDir, new ShutdownClock(budget), cancelGrace, registry, leaks, mainClass);
    }

    static PoolFixture real(ChildProperties properties, Path dataDir) {
        return new PoolFixture(properties, dataDir, Duration.ofSeconds(2), Duration.ofSeconds(5), ChildCommand.CHILD_MAIN);
    }

    /** Stops the pool as Spring does, waiting (boundedly, to catch a hang) for the callback. */
    TerminationResult stop() throws InterruptedException {
        stopped = true;
        CountDownLatch done = new CountDownLatch(1);
        pool.stop(done::countDown);
        assertThat(done.await(30, TimeUnit.SECONDS)).as("pool stopped").isTrue();
        return pool.lastTermination();
    }

    /**
     * For {@code @AfterEach}: stops the pool unless the test already did, so that a failing test leaves no child
     * JVM behind, and no running pool whose sweeps would take the next test's processes for its own.
     */
    void close() throws InterruptedException {
        if (!stopped) {
            stop();
        }
    }

    double counter(String name, String tag, String value) {
        var counter = registry.find(name).tag(tag, value).counter();
        return counter == null ? Double.NaN : counter.count();
    }
}

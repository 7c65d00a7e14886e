package dev.quiesce.retention;

import dev.quiesce.shutdown.ShutdownPhases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@link RetentionSweeper} on this instance every {@code quiesce.retention.interval}, each wait drawn between
 * 75 % and 125 % of it so that the instances of a fleet started together do not sweep in step (they may overlap: the
 * sweep is safe to run concurrently). One daemon thread; a failed sweep is logged and the next one tries again.
 *
 * <p>Stops in the dispatcher's phase ({@link ShutdownPhases#DISPATCH}), without waiting: the sweep ends before its
 * next batch, and a batch already running is one short transaction that commits or rolls back long before the
 * DataSource closes (after every phase). Either way nothing is half deleted. The thread is never interrupted, since
 * an interrupt inside H2's file I/O can close the database.
 */
final class RetentionSchedule implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RetentionSchedule.class);

    private final RetentionSweeper sweeper;
    private final Duration interval;
    private volatile CountDownLatch stop = new CountDownLatch(1);
    private ScheduledExecutorService timer;
    private volatile boolean running;
    private boolean failing;

    RetentionSchedule(RetentionSweeper sweeper, Duration interval) {
        this.sweeper = sweeper;
        this.interval = interval;
    }

    @Override
    public synchronized void start() {
        if (running || !sweeper.deletesAnything()) {
            return;
        }
        stop = new CountDownLatch(1);
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name("quiesce-retention").daemon().factory());
        // A stop drops the next sweep instead of running it (shutdown() does not interrupt a sweep under way).
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        timer = executor;
        running = true;
        scheduleNext();
    }

    private void scheduleNext() {
        long millis = interval.toMillis();
        long delay = ThreadLocalRandom.current().nextLong(millis * 3 / 4, millis * 5 / 4 + 1);
        timer.schedule(this::sweepOnce, delay, TimeUnit.MILLISECONDS);
    }

    private void sweepOnce() {
        long started = System.nanoTime();
        try {
            SweepResult result = sweeper.sweep(this::pause);
            if (result.total() > 0) {
                log.info("Retention: deleted {} job(s), {} workers row(s) and {} shutdown report(s) in {} ms{}", result.jobs(),
                        result.workers(), result.shutdownReports(), (System.nanoTime() - started) / 1_000_000,
                        result.complete() ? "" : " (stopped before the end)");
            }
            if (failing) {
                log.info("Retention sweeps work again");
            }
            failing = false;
        } catch (RuntimeException e) {
            // Typically the database's DataAccessException (unreachable, timed out). What was deleted stays deleted and
            // counted; the rest waits for the next sweep, which is all a retention needs.
            if (!failing) {
                log.warn("Retention sweep failed, trying again at the next interval: {}", e.toString());
            }
            failing = true;
        }
        synchronized (this) {
            if (running) {
                scheduleNext();
            }
        }
    }

    /** Waits between batches unless stopped; false once stopped. */
    private boolean pause(Duration pause) {
        try {
            return !stop.await(pause.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        stop.countDown();
        timer.shutdown();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return ShutdownPhases.DISPATCH;
    }
}

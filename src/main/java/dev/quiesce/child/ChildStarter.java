package dev.quiesce.child;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts child JVMs until the pool has {@code quiesce.children.size} of them serving or on their way, each
 * after an optional back-off, on the launcher thread. A launch that fails outright (no {@code java}, no
 * fork) counts as a crash, so a broken installation degrades the pool instead of retrying for ever.
 */
final class ChildStarter {

    private static final Logger log = LoggerFactory.getLogger(ChildStarter.class);

    private final int size;
    private final ChildRoster roster;
    private final ChildLauncher launcher;
    private final ChildLedger ledger;
    private final RestartPolicy restarts;
    private final ChildMetrics metrics;
    private final ScheduledExecutorService timer;
    private final ChildProcess.Events events;
    private final AtomicInteger nextId = new AtomicInteger();

    ChildStarter(int size, ChildRoster roster, ChildLauncher launcher, ChildLedger ledger, RestartPolicy restarts,
                 ChildMetrics metrics, ScheduledExecutorService timer, ChildProcess.Events events) {
        this.size = size;
        this.roster = roster;
        this.launcher = launcher;
        this.ledger = ledger;
        this.restarts = restarts;
        this.metrics = metrics;
        this.timer = timer;
        this.events = events;
    }

    /**
     * Schedules launches, {@code delay} from now, until the children counting toward the size number it.
     * Nothing while the pool is stopped or stopping, nor while it is degraded unless {@code reason} is a
     * recycle: replacing a healthy child that retired is not a restart.
     */
    void topUp(StartReason reason, Duration delay) {
        synchronized (roster) {
            if (!roster.isOpen() || (restarts.isDegraded() && reason != StartReason.RECYCLE)) {
                return;
            }
            while (roster.servingOrStarting() < size) {
                roster.launchPending();
                timer.schedule(() -> launch(reason), delay.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private void launch(StartReason reason) {
        long launchedNanos = System.nanoTime();
        synchronized (roster) {
            if (roster.isStopping()) {
                roster.launchDone();
                return;
            }
            // Submitted under the lock: a launch is either ordered before the terminator's barrier or never made.
            launcher.launch().whenComplete((process, failure) -> launched(process, failure, reason, launchedNanos));
        }
    }

    private void launched(Process process, Throwable failure, StartReason reason, long launchedNanos) {
        ChildProcess child;
        synchronized (roster) {
            roster.launchDone();
            if (failure != null) {
                log.error("Cannot start a child JVM: {}", failure.toString());
                restarts.crashed(System.nanoTime()).ifPresent(backoff -> topUp(StartReason.CRASH, backoff));
                return;
            }
            child = new ChildProcess(nextId.incrementAndGet(), process, launchedNanos, reason);
            roster.add(child);
            metrics.started(reason);
            ledger.started(process.toHandle());
        }
        child.startReading(events);
    }
}

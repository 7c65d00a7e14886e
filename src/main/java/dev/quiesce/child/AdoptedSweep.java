package dev.quiesce.child;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@link Subreaper}'s sweep for processes adopted from dead child JVMs: every two seconds, and at
 * once when a child dies. Always on the launcher thread, in line with launches, so a child JVM that is forked
 * but not yet known as launched is never taken for an adopted process.
 */
final class AdoptedSweep {

    private static final Duration INTERVAL = Duration.ofSeconds(2);

    private final ChildLauncher launcher;
    private final Subreaper subreaper;
    private final ScheduledExecutorService timer;

    AdoptedSweep(ChildLauncher launcher, Subreaper subreaper, ScheduledExecutorService timer) {
        this.launcher = launcher;
        this.subreaper = subreaper;
        this.timer = timer;
    }

    /** Sweeps every {@link #INTERVAL} until the timer is shut down. */
    void start() {
        timer.scheduleWithFixedDelay(this::now, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Queues one sweep; it does not wait for it. */
    void now() {
        launcher.onLauncherThread(() -> {
            subreaper.sweep(launcher.launchedPids());
            return null;
        });
    }
}

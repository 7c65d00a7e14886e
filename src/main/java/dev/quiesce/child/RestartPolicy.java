package dev.quiesce.child;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * OTP-style restart intensity: more than {@code intensity} crash restarts within {@code period} and the pool
 * is degraded — it stops restarting instead of crash-looping. Below that, each consecutive crash doubles the
 * back-off before the replacement starts (100 ms up to 5 s); a task that completes resets it.
 */
final class RestartPolicy {

    static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final int intensity;
    private final long periodNanos;
    private final ArrayDeque<Long> restarts = new ArrayDeque<>();
    private int consecutiveCrashes;
    private long totalRestarts;
    private boolean degraded;

    RestartPolicy(int intensity, Duration period) {
        this.intensity = intensity;
        this.periodNanos = period.toNanos();
    }

    /** Records a crash; the back-off before its replacement, or empty if the pool is (now) degraded. */
    synchronized java.util.Optional<Duration> crashed(long nowNanos) {
        if (degraded) {
            return java.util.Optional.empty();
        }
        while (!restarts.isEmpty() && nowNanos - restarts.peekFirst() > periodNanos) {
            restarts.removeFirst();
        }
        restarts.addLast(nowNanos);
        if (restarts.size() > intensity) {
            degraded = true;
            return java.util.Optional.empty();
        }
        totalRestarts++;
        Duration backoff = FIRST_BACKOFF.multipliedBy(1L << Math.min(consecutiveCrashes, 10));
        consecutiveCrashes++;
        return java.util.Optional.of(backoff.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff);
    }

    synchronized void taskCompleted() {
        consecutiveCrashes = 0;
    }

    synchronized boolean isDegraded() {
        return degraded;
    }

    /** Clears "degraded" and forgets past restarts (manual resume). */
    synchronized void reset() {
        degraded = false;
        restarts.clear();
        consecutiveCrashes = 0;
    }

    synchronized int restartsInPeriod() {
        return restarts.size();
    }

    synchronized long totalRestarts() {
        return totalRestarts;
    }
}

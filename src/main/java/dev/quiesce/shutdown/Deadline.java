package dev.quiesce.shutdown;

import java.time.Duration;

/**
 * A point on the monotonic clock ({@link System#nanoTime()}). Shutdown code passes deadlines down and
 * waits against them, never a fresh fixed timeout per step, so the steps together cannot outrun the budget.
 */
public record Deadline(long nanoTime) {

    public static Deadline after(Duration duration) {
        return new Deadline(System.nanoTime() + duration.toNanos());
    }

    public Deadline plus(Duration duration) {
        return new Deadline(nanoTime + duration.toNanos());
    }

    /** Zero once passed. */
    public Duration remaining() {
        long left = nanoTime - System.nanoTime();
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }

    public long remainingNanos() {
        return Math.max(0, nanoTime - System.nanoTime());
    }

    public boolean hasPassed() {
        return nanoTime - System.nanoTime() <= 0;
    }
}

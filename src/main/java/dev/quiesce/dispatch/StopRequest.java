package dev.quiesce.dispatch;

import dev.quiesce.shutdown.Deadline;
import dev.quiesce.shutdown.ShutdownDeadlines;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stop in progress: its deadlines, the callback Spring awaits, and what happened so far. The loop thread
 * drives it; the settler's thread counts written outcomes; and the deadline guard ends it at {@link #flushEnds()}
 * if the loop is stuck in a database call. Whoever ends it first {@link #end() ends} it, and what the others
 * count afterwards no longer changes the result already reported.
 */
final class StopRequest {

    final Runnable callback;
    final ShutdownDeadlines deadlines;
    final int runningAtStart;
    final AtomicInteger drained = new AtomicInteger();
    final AtomicInteger released = new AtomicInteger();
    final AtomicInteger cancelled = new AtomicInteger();
    final AtomicInteger abandoned = new AtomicInteger();
    final AtomicInteger unreleased = new AtomicInteger();
    final AtomicInteger unwritten = new AtomicInteger();
    /** Stragglers handed to a release that has not answered yet: not released if the stop ends first. */
    final AtomicInteger releasing = new AtomicInteger();
    volatile boolean cancelSent;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final AtomicBoolean completed = new AtomicBoolean();

    StopRequest(Runnable callback, ShutdownDeadlines deadlines, int runningAtStart) {
        this.callback = callback;
        this.deadlines = deadlines;
        this.runningAtStart = runningAtStart;
    }

    /**
     * After the cancel deadline, how long the last outcomes may take to be written: half the margin, so the
     * phase still ends inside its timeout (the dispatch slice plus the margin).
     */
    Deadline flushEnds() {
        long margin = deadlines.exit().nanoTime() - deadlines.childrenStopped().nanoTime();
        return deadlines.cancelEnds().plus(Duration.ofNanos(margin / 2));
    }

    /** The next moment the loop must act on its own: the drain deadline, then the cancel deadline, then the flush's end. */
    long nextDeadlineNanos() {
        if (!cancelSent) {
            return deadlines.drainEnds().nanoTime();
        }
        return deadlines.cancelEnds().hasPassed() ? flushEnds().nanoTime() : deadlines.cancelEnds().nanoTime();
    }

    /** True for the one caller that ends the stop; false for every later one. */
    boolean end() {
        return ended.compareAndSet(false, true);
    }

    boolean hasEnded() {
        return ended.get();
    }

    /** True for the one caller that may run the {@link #callback} (the loop after deregistering, or the guard). */
    boolean completeOnce() {
        return completed.compareAndSet(false, true);
    }

    DrainResult result() {
        long took = System.nanoTime() - deadlines.start().nanoTime();
        return new DrainResult(drained.get(), cancelled.get(), released.get(), abandoned.get(), unreleased.get(),
                unwritten.get(), Duration.ofNanos(Math.max(0, took)));
    }
}

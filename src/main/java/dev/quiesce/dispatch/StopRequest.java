package dev.quiesce.dispatch;

import dev.quiesce.shutdown.Deadline;
import dev.quiesce.shutdown.ShutdownDeadlines;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stop in progress: its deadlines, the callback Spring awaits, and what happened so far (the loop thread's,
 * but for the two counters the settler's thread writes).
 */
final class StopRequest {

    final Runnable callback;
    final ShutdownDeadlines deadlines;
    final int runningAtStart;
    final AtomicInteger drained = new AtomicInteger();
    final AtomicInteger released = new AtomicInteger();
    boolean cancelSent;
    int cancelled;
    int abandoned;
    int unreleased;

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

    DrainResult result() {
        long took = System.nanoTime() - deadlines.start().nanoTime();
        return new DrainResult(drained.get(), cancelled, released.get(), abandoned, unreleased, Duration.ofNanos(Math.max(0, took)));
    }
}

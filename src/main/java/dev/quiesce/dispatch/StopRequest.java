package dev.quiesce.dispatch;

import dev.quiesce.shutdown.ShutdownDeadlines;

import java.time.Duration;

/** A stop in progress: its deadlines, the callback Spring awaits, and what happened so far (loop thread only). */
final class StopRequest {

    final Runnable callback;
    final ShutdownDeadlines deadlines;
    final int runningAtStart;
    boolean cancelSent;
    int drained;
    int cancelled;
    int released;
    int abandoned;
    int unreleased;

    StopRequest(Runnable callback, ShutdownDeadlines deadlines, int runningAtStart) {
        this.callback = callback;
        this.deadlines = deadlines;
        this.runningAtStart = runningAtStart;
    }

    /** The next moment the loop must act on its own: the drain deadline until it passed, then the cancel deadline. */
    long nextDeadlineNanos() {
        return cancelSent ? deadlines.cancelEnds().nanoTime() : deadlines.drainEnds().nanoTime();
    }

    DrainResult result() {
        long took = System.nanoTime() - deadlines.start().nanoTime();
        return new DrainResult(drained, cancelled, released, abandoned, unreleased, Duration.ofNanos(Math.max(0, took)));
    }
}

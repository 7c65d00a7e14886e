package dev.quiesce.dispatch;

import java.time.Duration;

/**
 * What the dispatcher's stop did: jobs that finished while draining, executions cancelled at the drain
 * deadline, jobs handed back to the queue, and those whose threads were still running when they were
 * handed back (abandoned: they ignored cancellation).
 */
public record DrainResult(int drained, int cancelled, int released, int abandoned, int unreleased, int unwritten,
                          Duration took) {

    /** Nothing was cut short: every job that was running finished on its own and its outcome was written. */
    public boolean isComplete() {
        return cancelled == 0 && released == 0 && abandoned == 0 && unreleased == 0 && unwritten == 0;
    }
}

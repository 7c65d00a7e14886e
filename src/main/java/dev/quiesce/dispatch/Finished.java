package dev.quiesce.dispatch;

import dev.quiesce.queue.JobQueue.Outcome;

/** An execution that ended, as a runner reports it; a null {@code outcome} means "discard" (the lease was lost). */
record Finished(Execution execution, Outcome outcome, long nanos) {
}

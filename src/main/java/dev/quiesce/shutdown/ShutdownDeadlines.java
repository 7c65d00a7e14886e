package dev.quiesce.shutdown;

/**
 * One shutdown's deadlines, all derived from the moment it started, so every phase waits against the same
 * clock: jobs drain until {@code drainEnds}, cancelled jobs get until {@code cancelEnds}, children until
 * {@code childrenStopped}, and the process must be gone by {@code exit}.
 */
public record ShutdownDeadlines(Deadline start, Deadline drainEnds, Deadline cancelEnds, Deadline childrenStopped, Deadline exit) {
}

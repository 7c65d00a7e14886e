package dev.quiesce.queue;

/** Published after a committed cancellation request for a running job, so a local owner acts at once. */
public record JobCancelRequested(long jobId) {
}

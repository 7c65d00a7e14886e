package dev.quiesce.queue;

/** Published after a committed enqueue so that the local dispatcher wakes at once instead of polling. */
public record JobsEnqueued(int count) {
}

package dev.quiesce.child;

import java.time.Instant;

/** A read-only snapshot of one child, for the actuator and the health indicator. */
public record ChildView(int id, long pid, ChildState state, long tasksServed, long rssBytes, Instant startedAt) {
}

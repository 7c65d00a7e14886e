package dev.quiesce.child;

import java.util.Locale;

/**
 * How a child JVM ended; {@link #tag()} is the {@code quiesce_child_exits_total} {@code how} tag. The first
 * three are the steps of termination, in order: the child exited after a Shutdown frame, after SIGTERM, or
 * was SIGKILLed with its tree. {@code CRASHED}: it died on its own (or broke the protocol) while the pool ran.
 */
public enum ChildExit {
    GRACEFUL, TERMINATED, KILLED, CRASHED;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}

package dev.quiesce.child;

import java.util.Locale;

/** Why a child JVM was started; {@link #tag()} is the {@code quiesce_child_starts_total} {@code reason} tag. */
enum StartReason {
    /** The pool filled up at start (or after a resume). */
    INITIAL,
    /** Replacing a child that died or broke the protocol. */
    CRASH,
    /** Replacing a child retired after max-tasks-per-child or above max-rss. */
    RECYCLE,
    /** Replacing a child killed because its task outran its timeout or was killed by the dispatcher. */
    TIMEOUT;

    String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}

package dev.quiesce.child;

import java.util.Locale;

/** The life of one child JVM as the pool sees it; {@link #tag()} is the {@code quiesce_children} state tag. */
public enum ChildState {
    /** Launched, no Hello frame yet. */
    STARTING,
    /** Ready for a task. */
    IDLE,
    /** Running a task. */
    BUSY,
    /** Told to shut down (recycled, or the pool is stopping); takes no more tasks. */
    RETIRING,
    /** Gone; no longer listed. */
    EXITED;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}

package dev.quiesce.leak;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What can be left behind (DESIGN §6). The {@link #tag()} is the {@code kind} tag of the leak meters and the key
 * in the shutdown report, so it is public and stable.
 */
public enum LeakKind {

    /** A child JVM still alive after termination, or one that had to be SIGKILLed. */
    CHILD_PROCESS,
    /** A process a child task or a child JVM started and left behind (daemonized ones included). */
    DESCENDANT_PROCESS,
    /** An adopted process that exited and had no reaper but us. */
    ZOMBIE,
    /** A thread that outlived the job that started it, or a non-daemon thread left at shutdown. */
    THREAD,
    /** A job's scratch directory left non-empty, or left at all at shutdown. */
    SCRATCH_DIR,
    /** Open file descriptors above the start-up baseline (beyond the tolerance) at shutdown. */
    FILE_DESCRIPTOR,
    /** A job lease still held by this instance: by a previous incarnation at start-up, or at shutdown. */
    JOB_LEASE,
    /** A process a previous run of this instance left alive (found through the child ledger at start-up). */
    PREVIOUS_RUN_PROCESS;

    private final String tag = name().toLowerCase(Locale.ROOT);

    public String tag() {
        return tag;
    }

    /** Counts keyed by tag instead of kind, in the kinds' order: how reports and endpoints show them. */
    public static Map<String, Long> byTag(Map<LeakKind, Long> counts) {
        Map<String, Long> tagged = new LinkedHashMap<>();
        counts.forEach((kind, count) -> tagged.put(kind.tag(), count));
        return tagged;
    }

    public static LeakKind ofTag(String tag) {
        for (LeakKind kind : values()) {
            if (kind.tag.equals(tag)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("Unknown leak kind '" + tag + "'");
    }
}

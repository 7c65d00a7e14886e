package dev.quiesce.shutdown;

import java.util.Locale;

/** How a shutdown went, worst first; the {@link #tag()} is the {@code outcome} tag and the stored value. */
public enum ShutdownOutcome {

    /** It did not fit the budget: it ran past the exit deadline, or jobs could not be handed back. */
    OVERRAN,
    /** It fit, but something leaked during the run or was left at the end (see the report's leaks). */
    LEAKY,
    /** Nothing lost, nothing leaked, inside the budget. */
    CLEAN;

    private final String tag = name().toLowerCase(Locale.ROOT);

    public String tag() {
        return tag;
    }

    public static ShutdownOutcome ofTag(String tag) {
        return valueOf(tag.toUpperCase(Locale.ROOT));
    }
}

package dev.quiesce.console;

import java.util.LinkedHashMap;
import java.util.Map;

/** Counts by kind as the pages list them: only the kinds that happened, so a clean row reads "none" at a glance. */
final class Counts {

    private Counts() {
    }

    /** The entries above zero, in their order; empty for null (a status not published yet). */
    static Map<String, Long> nonZero(Map<String, Long> counts) {
        Map<String, Long> present = new LinkedHashMap<>();
        if (counts != null) {
            counts.forEach((kind, count) -> {
                if (count != null && count > 0) {
                    present.put(kind, count);
                }
            });
        }
        return present;
    }
}

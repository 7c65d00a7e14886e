package dev.quiesce.console;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How the console writes a moment: UTC, to the second, the same on every page and pod ({@code 2026-12-06 22:10:03}). */
final class ConsoleTime {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private ConsoleTime() {
    }

    /** The moment, or an empty string for none. */
    static String format(Instant instant) {
        return instant == null ? "" : FORMAT.format(instant);
    }
}

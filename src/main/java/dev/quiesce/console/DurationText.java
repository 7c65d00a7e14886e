package dev.quiesce.console;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Durations and instants as the fleet pages print them: short, in two units at most ({@code 850 ms}, {@code 4.2 s},
 * {@code 3 min 05 s}, {@code 2 h 10 min}), instants in UTC to the second, because every pod of a fleet and the
 * database may sit in another zone than the operator's laptop.
 */
final class DurationText {

    private static final DateTimeFormatter INSTANT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private DurationText() {
    }

    static String of(Duration duration) {
        if (duration == null) {
            return "–";
        }
        long ms = Math.max(0, duration.toMillis());
        if (ms < 1_000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s < 3_600) {
            return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        if (s < 86_400) {
            return String.format(Locale.ROOT, "%d h %02d min", s / 3600, s % 3600 / 60);
        }
        return String.format(Locale.ROOT, "%d d %d h", s / 86_400, s % 86_400 / 3600);
    }

    static String of(Instant instant) {
        return instant == null ? "–" : INSTANT.format(instant);
    }
}

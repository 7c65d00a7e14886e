package dev.quiesce.console;

import java.time.Duration;
import java.util.Locale;

/**
 * Durations as the console prints them: short, in two units at most ({@code 850 ms}, {@code 4.2 s},
 * {@code 3 min 05 s}, {@code 2 h 10 min}); moments are {@link ConsoleTime}'s.
 */
final class DurationText {

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
}

package dev.quiesce.console;

import dev.quiesce.queue.QueueOverview.Minute;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The overview's bar chart of the last hour as SVG geometry computed on the server: one slot per minute, jobs
 * that succeeded as a bar from the bottom, failed ones stacked on top, all scaled to the busiest minute. The page
 * draws the rectangles as they are; there is no chart library to load, and the chart refreshes with the rest of the
 * overview.
 *
 * @param width  the drawing's width in SVG units (its {@code viewBox}), the page scales it
 * @param height the drawing's height in SVG units
 * @param bars   the rectangles to draw, minutes without jobs have none
 * @param max    jobs finished in the busiest minute (succeeded + failed), the top of the scale
 */
record MinuteChart(int width, int height, List<Bar> bars, long max) {

    static final int HEIGHT = 120;
    /** Width of one minute's slot; its bar leaves a gap of one unit on either side. */
    static final int SLOT = 10;

    private static final DateTimeFormatter MINUTE =
            DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** @param kind {@code succeeded} or {@code failed} (the CSS class that colours it) */
    record Bar(int x, int y, int width, int height, String kind, String title) {
    }

    static MinuteChart of(List<Minute> minutes) {
        long max = minutes.stream().mapToLong(minute -> minute.succeeded() + minute.failed()).max().orElse(0);
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < minutes.size() && max > 0; i++) {
            Minute minute = minutes.get(i);
            String title = MINUTE.format(minute.start()) + " UTC: " + minute.succeeded() + " succeeded, "
                    + minute.failed() + " failed";
            // The stack is scaled as a whole, so that two rounded parts never poke above the busiest minute.
            int total = scaled(minute.succeeded() + minute.failed(), max);
            int failed = minute.failed() == 0 ? 0 : Math.max(1, total - scaled(minute.succeeded(), max));
            int succeeded = total - failed;
            int x = i * SLOT + 1;
            if (succeeded > 0) {
                bars.add(new Bar(x, HEIGHT - succeeded, SLOT - 2, succeeded, "succeeded", title));
            }
            if (failed > 0) {
                bars.add(new Bar(x, HEIGHT - succeeded - failed, SLOT - 2, failed, "failed", title));
            }
        }
        return new MinuteChart(Math.max(1, minutes.size()) * SLOT, HEIGHT, List.copyOf(bars), max);
    }

    /** A count's height; any count above zero stays visible (one unit), even beside a minute a thousand times busier. */
    private static int scaled(long count, long max) {
        if (count == 0) {
            return 0;
        }
        return (int) Math.max(1, Math.round((double) count * HEIGHT / max));
    }
}

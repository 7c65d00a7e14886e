package dev.quiesce.console;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One shutdown's phases as SVG geometry: a row per phase, each a bar that starts where the phases before it ended,
 * on a time axis from 0 to the longer of the budget and the time the shutdown took, with the budget drawn as a
 * vertical line. A phase that ends past the budget is marked {@code over}, so an overrun shows where it happened.
 * Units are SVG user units of the drawing's {@code viewBox}; the page scales the drawing to its width.
 *
 * @param width   the whole drawing, labels included
 * @param height  the whole drawing, axis labels included
 * @param plotX   where the time axis starts (left of it are the phase names)
 * @param plotWidth the length of the time axis
 * @param axis    the time the axis spans
 * @param budgetX where the budget line stands
 * @param tookX   where the shutdown ended
 * @param axisY   where the axis line and its ticks are drawn, below the last phase
 */
record PhaseChart(int width, int height, int plotX, int plotWidth, Duration axis, List<Phase> phases,
                  double budgetX, double tookX, int axisY, List<Tick> ticks) {

    static final int WIDTH = 760;
    /** Room for a phase's name and duration left of the axis. */
    static final int PLOT_X = 150;
    /** Room right of the axis for the last tick's label. */
    static final int RIGHT = 30;
    /** Room above the first phase for the budget line's label. */
    static final int TOP = 12;
    static final int ROW = 20;
    static final int BAR = 14;
    static final int TICKS = 4;

    /**
     * @param label  the phase's name and duration, written left of the axis
     * @param labelY the baseline of the label
     * @param over   whether the phase ended past the budget
     */
    record Phase(String name, String label, Duration duration, double x, double y, double width, int height, int labelY,
                 boolean over, String title) {
    }

    record Tick(double x, String label) {
    }

    /** @param phases time per phase, in the order they ran */
    static PhaseChart of(Map<String, Duration> phases, Duration budget, Duration took) {
        int plotWidth = WIDTH - PLOT_X - RIGHT;
        Duration axis = budget.compareTo(took) >= 0 ? budget : took;
        if (!axis.isPositive()) {
            axis = Duration.ofMillis(1);
        }
        double scale = plotWidth / (double) axis.toNanos();
        List<Phase> bars = new ArrayList<>();
        Duration start = Duration.ZERO;
        int row = 0;
        for (Map.Entry<String, Duration> entry : phases.entrySet()) {
            Duration duration = entry.getValue();
            Duration end = start.plus(duration);
            int y = TOP + row * ROW + (ROW - BAR) / 2;
            // A phase of a few milliseconds on a 30 s axis would be invisible: it keeps one unit, its title says how long.
            double width = Math.max(1, round(duration.toNanos() * scale));
            bars.add(new Phase(entry.getKey(), entry.getKey() + " " + DurationText.of(duration), duration, PLOT_X + round(start.toNanos() * scale), y, width, BAR,
                    y + BAR - 3, end.compareTo(budget) > 0,
                    entry.getKey() + ": " + DurationText.of(duration) + " (from " + DurationText.of(start) + ")"));
            start = end;
            row++;
        }
        int axisY = TOP + row * ROW + 4;
        List<Tick> ticks = new ArrayList<>();
        for (int i = 0; i <= TICKS; i++) {
            ticks.add(new Tick(PLOT_X + round(plotWidth * i / (double) TICKS), DurationText.of(axis.multipliedBy(i).dividedBy(TICKS))));
        }
        return new PhaseChart(WIDTH, axisY + 22, PLOT_X, plotWidth, axis, List.copyOf(bars),
                PLOT_X + round(budget.toNanos() * scale), PLOT_X + round(took.toNanos() * scale), axisY, List.copyOf(ticks));
    }

    /** To a tenth of a unit: finer than any screen shows, and short in the page. */
    private static double round(double units) {
        return Math.round(units * 10) / 10.0;
    }
}

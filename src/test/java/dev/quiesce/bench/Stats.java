package dev.quiesce.bench;

import java.util.List;
import java.util.Locale;

/** Small summaries and the target verdicts of the report. */
final class Stats {

    private Stats() {
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /** "met (+23 %)" or "**missed** by 1,234 jobs/s (−12 %)" for a figure that must be at least {@code target}. */
    static String atLeast(double value, double target, String unit) {
        double percent = (value - target) / target * 100;
        if (value >= target) {
            return String.format(Locale.ROOT, "met (+%.0f %%)", percent);
        }
        return String.format(Locale.ROOT, "**missed** by %,.0f %s (%.0f %%)", target - value, unit, percent);
    }

    /** For a time that must be at most {@code target} seconds: judged on the median, the max said too. */
    static String atMost(double median, double max, double target) {
        if (median > target) {
            return String.format(Locale.ROOT, "**missed** by %.3f s (median %.0f %% over)", median - target, (median - target) / target * 100);
        }
        if (max > target) {
            return String.format(Locale.ROOT, "met by the median; max over by %.3f s", max - target);
        }
        return String.format(Locale.ROOT, "met (max %.0f %% of target)", max / target * 100);
    }

    static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3f s", s);
    }

    static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f jobs/s", perSecond);
    }
}

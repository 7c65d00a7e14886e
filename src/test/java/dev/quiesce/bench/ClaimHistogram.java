package dev.quiesce.bench;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service's claim timer {@code quiesce_queue_claim_seconds} as one scrape of {@code /actuator/prometheus} shows
 * it: cumulative buckets by upper bound, count, sum, and the timer's (decaying) max. {@link #minus} gives the claims
 * between two scrapes, so that a run is measured without the idle polls before it.
 */
record ClaimHistogram(TreeMap<Double, Double> buckets, double count, double sum, double max) {

    static final String NAME = "quiesce_queue_claim_seconds";
    private static final Pattern BUCKET = Pattern.compile("^" + NAME + "_bucket\\{(.*)}\\s+(\\S+)$");
    private static final Pattern LE = Pattern.compile("le=\"([^\"]+)\"");

    /** The timer in {@code scrape} (the exposition text), or null if the service does not have it. */
    static ClaimHistogram parse(String scrape) {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        Double count = null;
        double sum = 0;
        double max = 0;
        for (String line : scrape.lines().map(String::strip).toList()) {
            Matcher bucket = BUCKET.matcher(line);
            if (bucket.matches()) {
                Matcher le = LE.matcher(bucket.group(1));
                if (le.find()) {
                    buckets.put(number(le.group(1)), number(bucket.group(2)));
                }
            } else if (line.startsWith(NAME + "_count")) {
                count = value(line);
            } else if (line.startsWith(NAME + "_sum")) {
                sum = value(line);
            } else if (line.startsWith(NAME + "_max")) {
                max = value(line);
            }
        }
        return count == null || buckets.isEmpty() ? null : new ClaimHistogram(buckets, count, sum, max);
    }

    /** The claims recorded after {@code earlier} (same buckets); the max stays this scrape's. */
    ClaimHistogram minus(ClaimHistogram earlier) {
        TreeMap<Double, Double> diff = new TreeMap<>();
        buckets.forEach((le, n) -> diff.put(le, n - earlier.buckets.getOrDefault(le, 0.0)));
        return new ClaimHistogram(diff, count - earlier.count, sum - earlier.sum, max);
    }

    double meanMillis() {
        return count == 0 ? Double.NaN : sum / count * 1000;
    }

    /** The upper bound (ms) of the first bucket holding the {@code q} quantile; infinite if past the last bound. */
    double quantileBoundMillis(double q) {
        double rank = q * count;
        for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
            if (bucket.getValue() >= rank) {
                return bucket.getKey() * 1000;
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    /**
     * The {@code q} quantile (ms), interpolated linearly inside the bucket that holds it, as PromQL's
     * {@code histogram_quantile} does: an estimate, good to about the bucket's width.
     */
    double quantileMillis(double q) {
        double rank = q * count;
        double lowerBound = 0;
        double below = 0;
        for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
            if (bucket.getValue() >= rank) {
                if (bucket.getKey().isInfinite()) {
                    return lowerBound * 1000;
                }
                double inBucket = bucket.getValue() - below;
                double fraction = inBucket <= 0 ? 1 : (rank - below) / inBucket;
                return (lowerBound + (bucket.getKey() - lowerBound) * fraction) * 1000;
            }
            lowerBound = bucket.getKey();
            below = bucket.getValue();
        }
        return Double.POSITIVE_INFINITY;
    }

    String describe() {
        StringBuilder counts = new StringBuilder();
        double below = 0;
        for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
            double n = bucket.getValue() - below;
            below = bucket.getValue();
            if (n > 0) {
                counts.append(counts.isEmpty() ? "" : ", ").append(bucket.getKey().isInfinite() ? "+Inf" : millis(bucket.getKey() * 1000))
                        .append(String.format(Locale.ROOT, ": %,.0f", n));
            }
        }
        return String.format(Locale.ROOT, "%,.0f claims, mean %.2f ms, p50 ≈ %.2f ms (bucket ≤ %s), p99 ≈ %.2f ms (bucket ≤ %s), "
                        + "max %.1f ms; claims per bucket (upper bound: count) %s", count, meanMillis(), quantileMillis(0.5),
                millis(quantileBoundMillis(0.5)), quantileMillis(0.99), millis(quantileBoundMillis(0.99)), max * 1000, counts);
    }

    static String millis(double ms) {
        return Double.isInfinite(ms) ? "+Inf" : String.format(Locale.ROOT, "%s ms", ms < 1 ? String.format(Locale.ROOT, "%.2f", ms)
                : String.format(Locale.ROOT, "%.0f", ms));
    }

    private static double value(String line) {
        String[] parts = line.split("\\s+");
        return number(parts[parts.length - 1]);
    }

    private static double number(String value) {
        return switch (value) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(value);
        };
    }
}

package dev.quiesce.deploy;

import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A scrape in the Prometheus text format, as far as names go: the series names (what PromQL selects: for a
 * histogram {@code x_bucket}, {@code x_sum} and {@code x_count}, never {@code x} itself; for a Micrometer timer
 * also {@code x_max}) and each family's declared type.
 */
record Scrape(String body, SortedSet<String> seriesNames, Map<String, String> familyTypes) {

    static Scrape parse(String body) {
        SortedSet<String> series = new TreeSet<>();
        Map<String, String> types = new TreeMap<>();
        for (String line : body.lines().toList()) {
            String text = line.strip();
            if (text.startsWith("# TYPE ")) {
                String[] parts = text.split("\\s+");
                if (parts.length >= 4) {
                    types.put(parts[2], parts[3]);
                }
            } else if (!text.isEmpty() && !text.startsWith("#")) {
                int end = 0;
                while (end < text.length() && text.charAt(end) != '{' && !Character.isWhitespace(text.charAt(end))) {
                    end++;
                }
                series.add(text.substring(0, end));
            }
        }
        return new Scrape(body, series, types);
    }

    boolean has(String seriesName) {
        return seriesNames.contains(seriesName);
    }

    /** The value of the one sample of {@code seriesName} whose labels contain {@code labels} (e.g. {@code runner="child"}). */
    double value(String seriesName, String labels) {
        List<String> samples = body.lines()
                .filter(line -> line.startsWith(seriesName + "{") && line.contains(labels))
                .toList();
        if (samples.size() != 1) {
            throw new AssertionError("expected one sample of " + seriesName + " with " + labels + ", found " + samples);
        }
        String sample = samples.getFirst();
        return Double.parseDouble(sample.substring(sample.lastIndexOf('}') + 1).strip().split("\\s+")[0]);
    }
}

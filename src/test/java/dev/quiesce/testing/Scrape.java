package dev.quiesce.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of {@code /actuator/prometheus}, parsed from the text exposition format: every sample with its
 * labels. {@link #value} finds one series by name and a subset of its labels;
 * {@link #has} asks for a series name as PromQL selects it (for a histogram {@code x_bucket}, {@code x_sum} and
 * {@code x_count}, never {@code x} itself; for a Micrometer timer also {@code x_max}).
 */
public final class Scrape {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)(\\s+\\S+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final String text;
    private final List<Sample> samples = new ArrayList<>();

    /** Parses {@code text}; fails on a line that is neither a comment nor a sample. */
    public Scrape(String text) {
        this.text = text;
        for (String line : text.lines().map(String::strip).toList()) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.matches()) {
                throw new AssertionError("not a sample line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (sample.group(3) != null) {
                Matcher label = LABEL.matcher(sample.group(3));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            samples.add(new Sample(sample.group(1), labels, number(sample.group(4))));
        }
    }

    /** Scrapes the service now; fails if the management server does not answer 200. */
    public static Scrape of(QuiesceProcess service) {
        Actuator.Answer answer = service.actuator().get("prometheus")
                .orElseThrow(() -> new AssertionError("/actuator/prometheus does not answer"));
        if (answer.status() != 200) {
            throw new AssertionError("/actuator/prometheus answered " + answer.status() + ": " + answer.body());
        }
        return new Scrape(answer.body());
    }

    /** The value of the one series called {@code name} with these labels ({@code "kind", "thread", ...}). */
    public double value(String name, String... labels) {
        List<Sample> matching = samples.stream().filter(s -> s.name.equals(name) && s.has(labels)).toList();
        if (matching.size() != 1) {
            throw new AssertionError(matching.size() + " series " + name + " with " + List.of(labels) + " in the scrape: " + matching);
        }
        return matching.getFirst().value;
    }

    /** Whether any sample of the series {@code name} is in the scrape. */
    public boolean has(String name) {
        return samples.stream().anyMatch(s -> s.name.equals(name));
    }

    /** The scrape as the server wrote it. */
    public String text() {
        return text;
    }

    /** A sample value: Go's float syntax for infinities ({@code +Inf}) is not Java's. */
    private static double number(String value) {
        return switch (value) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(value);
        };
    }

    private record Sample(String name, Map<String, String> labels, double value) {

        boolean has(String... pairs) {
            for (int i = 0; i < pairs.length; i += 2) {
                if (!pairs[i + 1].equals(labels.get(pairs[i]))) {
                    return false;
                }
            }
            return true;
        }
    }
}

package dev.quiesce.process;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of {@code /actuator/prometheus}, parsed from the text exposition format: every sample with its
 * labels. {@link #value} finds one series by name and a subset of its labels.
 */
final class Scrape {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)(\\s+\\S+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final String text;
    private final List<Sample> samples = new ArrayList<>();

    Scrape(String text) {
        this.text = text;
        for (String line : text.lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
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
            samples.add(new Sample(sample.group(1), labels, Double.parseDouble(sample.group(4))));
        }
    }

    /** Scrapes the service now; fails if the management server does not answer 200. */
    static Scrape of(QuiesceProcess service) {
        Actuator.Answer answer = Actuator.of(service).get("prometheus")
                .orElseThrow(() -> new AssertionError("/actuator/prometheus does not answer"));
        if (answer.status() != 200) {
            throw new AssertionError("/actuator/prometheus answered " + answer.status() + ": " + answer.body());
        }
        return new Scrape(answer.body());
    }

    /** The value of the one series called {@code name} with these labels ({@code "kind", "thread", ...}). */
    double value(String name, String... labels) {
        List<Sample> matching = samples.stream().filter(s -> s.name.equals(name) && s.has(labels)).toList();
        if (matching.size() != 1) {
            throw new AssertionError(matching.size() + " series " + name + " with " + List.of(labels) + " in the scrape: " + matching);
        }
        return matching.getFirst().value;
    }

    String text() {
        return text;
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

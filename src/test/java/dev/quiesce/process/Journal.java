package dev.quiesce.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The file that {@code sleep} and {@code sha256} jobs append their id to when they finish successfully: how
 * many times each job's work really completed, whatever the database says.
 */
record Journal(Path file) {

    /** How many times each job id was appended. */
    Map<Long, Integer> completions() {
        Map<Long, Integer> counts = new TreeMap<>();
        if (!Files.exists(file)) {
            return counts;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    counts.merge(Long.parseLong(line.strip()), 1, Integer::sum);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return counts;
    }

    String path() {
        return file.toAbsolutePath().toString();
    }
}

package dev.quiesce.deploy;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The project's {@code Dockerfile} as the tests read it, so that they run what the image runs instead of a copy:
 * its instructions by stage, the runtime stage's exec-form {@code ENTRYPOINT} and {@code ENV}, and the build
 * context the {@code COPY} instructions need. It reads the subset of the syntax the file uses (continuation
 * lines, comments, {@code KEY=value} pairs), and fails on anything it cannot read rather than guess.
 */
record Dockerfile(Path file, List<Stage> stages) {

    /** The project's Dockerfile; the working directory of a test is the project. */
    static final Path PROJECT_FILE = Path.of("Dockerfile");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One instruction: its keyword in upper case and the rest of its (joined) line. */
    record Instruction(String keyword, String arguments) {

        /** The arguments split on blanks (no quoting: this Dockerfile needs none outside exec form). */
        List<String> words() {
            return List.of(arguments.trim().split("\\s+"));
        }
    }

    /** A {@code FROM} and the instructions up to the next one. */
    record Stage(String from, List<Instruction> instructions) {

        List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }

        /** The last instruction with this keyword (the one that counts for USER, ENTRYPOINT, STOPSIGNAL...). */
        Optional<Instruction> last(String keyword) {
            List<Instruction> all = all(keyword);
            return all.isEmpty() ? Optional.empty() : Optional.of(all.getLast());
        }
    }

    static Dockerfile project() {
        return read(PROJECT_FILE);
    }

    static Dockerfile read(Path file) {
        try {
            return parse(file, Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.toAbsolutePath(), e);
        }
    }

    static Dockerfile parse(Path file, String text) {
        List<Stage> stages = new ArrayList<>();
        List<Instruction> current = null;
        String from = null;
        for (String line : logicalLines(text)) {
            String[] parts = line.split("\\s+", 2);
            Instruction instruction = new Instruction(parts[0].toUpperCase(java.util.Locale.ROOT),
                    parts.length > 1 ? parts[1].trim() : "");
            if (instruction.keyword().equals("FROM")) {
                if (current != null) {
                    stages.add(new Stage(from, List.copyOf(current)));
                }
                from = instruction.arguments();
                current = new ArrayList<>();
            } else if (current == null) {
                throw new IllegalArgumentException(file + ": " + instruction.keyword() + " before the first FROM");
            } else {
                current.add(instruction);
            }
        }
        if (current == null) {
            throw new IllegalArgumentException(file + " has no FROM");
        }
        stages.add(new Stage(from, List.copyOf(current)));
        return new Dockerfile(file, List.copyOf(stages));
    }

    /** The stage the image is made of: the last one. */
    Stage runtime() {
        return stages.getLast();
    }

    /** The stage named {@code name} ({@code FROM image AS name}). */
    Stage stage(String name) {
        return stages.stream().filter(s -> s.from().toLowerCase(java.util.Locale.ROOT).endsWith(" as " + name))
                .findFirst().orElseThrow(() -> new AssertionError(file + " has no stage " + name));
    }

    /** The runtime stage's {@code ENTRYPOINT}, which must be in exec form (a JSON array: no shell in front). */
    List<String> entrypoint() {
        Instruction entrypoint = runtime().last("ENTRYPOINT")
                .orElseThrow(() -> new AssertionError(file + " has no ENTRYPOINT in its runtime stage"));
        return execForm(entrypoint);
    }

    /** The variables the runtime stage's {@code ENV} instructions set, in order. */
    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        for (Instruction instruction : runtime().all("ENV")) {
            List<String> words = instruction.words();
            if (!words.getFirst().contains("=")) { // the legacy form: ENV NAME value
                env.put(words.getFirst(), instruction.arguments().substring(words.getFirst().length()).trim());
                continue;
            }
            for (String word : words) {
                int equals = word.indexOf('=');
                if (equals <= 0) {
                    throw new IllegalArgumentException(file + ": cannot read ENV " + instruction.arguments());
                }
                env.put(word.substring(0, equals), unquote(word.substring(equals + 1)));
            }
        }
        return env;
    }

    /** What the {@code COPY} instructions without {@code --from} take from the build context. */
    List<String> contextSources() {
        List<String> sources = new ArrayList<>();
        for (Stage stage : stages) {
            for (Instruction copy : stage.all("COPY")) {
                List<String> words = copy.words().stream().filter(w -> !w.startsWith("--")).toList();
                if (copy.words().stream().noneMatch(w -> w.startsWith("--from="))) {
                    sources.addAll(words.subList(0, words.size() - 1));
                }
            }
        }
        return sources;
    }

    /** An instruction's arguments as an exec-form JSON array of strings. */
    List<String> execForm(Instruction instruction) {
        String arguments = instruction.arguments();
        if (!arguments.startsWith("[")) {
            throw new AssertionError(file + ": " + instruction.keyword() + " is in shell form (" + arguments
                    + "); it must be an exec-form JSON array");
        }
        JsonNode array = JSON.readTree(arguments);
        List<String> words = new ArrayList<>();
        array.forEach(word -> words.add(word.asString()));
        return List.copyOf(words);
    }

    /** Joins continuation lines and drops comments and blank lines, as Docker does. */
    private static List<String> logicalLines(String text) {
        List<String> lines = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String raw : text.lines().toList()) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && pending.isEmpty())) {
                continue; // a comment, even inside a continued instruction, is not part of it
            }
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            pending.append(line);
            if (!pending.toString().isBlank()) {
                lines.add(pending.toString().trim());
            }
            pending.setLength(0);
        }
        if (!pending.toString().isBlank()) {
            lines.add(pending.toString().trim());
        }
        return lines;
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }
}

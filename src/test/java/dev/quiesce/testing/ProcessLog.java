package dev.quiesce.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a started process writes its stdout and stderr, and the command that started it (which is not in the
 * file): what a failing test prints, and what a test reads to find a log line.
 */
public record ProcessLog(Path file, List<String> command) {

    public ProcessLog {
        command = List.copyOf(command);
    }

    /** The whole log, or a line saying why it cannot be read (a test's failure message must still be built). */
    public String text() {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(could not read " + file + ": " + e + ")";
        }
    }

    /** The last {@code lines} lines of the log. */
    public String tail(int lines) {
        List<String> all = text().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** The command, as one line to copy into a shell. */
    public String commandLine() {
        return String.join(" ", command);
    }

    /** The file's path: what a message names when it points at the log. */
    @Override
    public String toString() {
        return file.toString();
    }
}

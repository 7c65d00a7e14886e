package dev.quiesce.job.builtin;

import dev.quiesce.settings.InvalidConfigurationException;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Where the optional {@code journal} field of a built-in payload may point: a file inside
 * {@code quiesce.builtin.journal-dir}, named relative to it or by an absolute path inside it. Without the property,
 * no journal is accepted; a path that leaves the directory ({@code ..}, a symbolic link) is refused, at enqueue time
 * and again before writing.
 */
@Component
class JournalDirectory {

    static final String PROPERTY = "quiesce.builtin.journal-dir";

    private final Path directory;

    JournalDirectory(BuiltinProperties properties) {
        Path configured = properties.journalDir();
        if (configured != null && !Files.isDirectory(configured)) {
            throw new InvalidConfigurationException(PROPERTY + " is " + configured + ", which is not a directory.",
                    "Create the directory, or remove the property (journals are then refused).");
        }
        this.directory = configured == null ? null : realPath(configured);
    }

    /** The journal file a payload names, checked; empty without a {@code journal} field. */
    Optional<Path> file(JsonNode payload) {
        JsonNode node = payload == null ? null : payload.get("journal");
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isString()) {
            throw new IllegalArgumentException("payload.journal must be a file name, was " + node);
        }
        if (directory == null) {
            throw new IllegalArgumentException("payload.journal is not accepted: journals are off (the operator enables them with "
                    + PROPERTY + ")");
        }
        Path path;
        try {
            path = directory.resolve(node.asString()).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException("payload.journal must be a file name, was " + node);
        }
        if (!path.startsWith(directory) || path.equals(directory)) {
            throw new IllegalArgumentException("payload.journal must name a file inside " + PROPERTY + ", was " + node);
        }
        return Optional.of(path);
    }

    /** Appends the job id to the payload's journal file, if it names one (never through a symbolic link). */
    void append(JsonNode payload, long jobId) throws IOException {
        Optional<Path> file = file(payload);
        if (file.isEmpty()) {
            return;
        }
        Path path = file.get();
        if (!realPath(path.getParent()).startsWith(directory)) {
            throw new IOException("journal " + path + " is outside " + PROPERTY);
        }
        Files.writeString(path, jobId + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    }

    /** For the child JVMs, which check journals the same way. */
    Optional<Path> directory() {
        return Optional.ofNullable(directory);
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }
}

package dev.quiesce.child.worker.task;

import dev.quiesce.api.child.TaskContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The optional {@code "journal": "file"} payload field of {@code sleep} and {@code sha256}, as in the
 * in-process handlers: after the work succeeded, the job id is appended as a line, so a test can count
 * which jobs ran to completion and how often. The file must lie inside the directory the service passes in
 * {@value #DIRECTORY_VARIABLE} ({@code quiesce.builtin.journal-dir}); without it, journals are refused.
 */
final class Journal {

    static final String DIRECTORY_VARIABLE = "QUIESCE_JOURNAL_DIR";

    private Journal() {
    }

    /** The journal file, checked up front so that a bad path fails the task before the work. */
    static Optional<Path> of(TaskContext context) {
        return context.optionalString("journal").map(text -> {
            String configured = System.getenv(DIRECTORY_VARIABLE);
            if (configured == null || configured.isEmpty()) {
                throw new IllegalArgumentException("payload.journal is not accepted: journals are off (the operator enables them with quiesce.builtin.journal-dir)");
            }
            Path directory = Path.of(configured);
            Path path = directory.resolve(text).normalize();
            if (!path.startsWith(directory) || path.equals(directory)) {
                throw new IllegalArgumentException("payload.journal must name a file inside quiesce.builtin.journal-dir, was \"" + text + "\"");
            }
            return path;
        });
    }

    static void append(Optional<Path> journal, long jobId) throws IOException {
        if (journal.isPresent()) {
            Files.writeString(journal.get(), jobId + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        }
    }
}

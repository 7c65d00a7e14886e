package dev.quiesce.child.worker.task;

import dev.quiesce.child.worker.TaskContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The optional {@code "journal": "/abs/path"} payload field of {@code sleep} and {@code sha256}, as in the
 * in-process handlers: after the work succeeded, the job id is appended as a line, so a test can count
 * which jobs ran to completion and how often.
 */
final class Journal {

    private Journal() {
    }

    /** The journal file, checked up front so that a bad path fails the task before the work. */
    static Optional<Path> of(TaskContext context) {
        return context.optionalString("journal").map(text -> {
            Path path = Path.of(text);
            if (!path.isAbsolute()) {
                throw new IllegalArgumentException("payload.journal must be an absolute file path, was \"" + text + "\"");
            }
            return path;
        });
    }

    static void append(Optional<Path> journal, long jobId) throws IOException {
        if (journal.isPresent()) {
            Files.writeString(journal.get(), jobId + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        }
    }
}

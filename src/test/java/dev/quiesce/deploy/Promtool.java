package dev.quiesce.deploy;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code promtool} (Debian package {@code prometheus}; {@code .ci/run} installs it), run as a process.
 * A test that needs it and does not find it on the PATH is skipped, saying so on stderr and in the report.
 */
final class Promtool {

    /** Only stops a hung promtool; it answers in well under a second. */
    private static final long BOUND_SECONDS = 120;

    private final Path executable;

    private Promtool(Path executable) {
        this.executable = executable;
    }

    /** The promtool on the PATH, or the calling test skipped with a loud message. */
    static Promtool required() {
        Optional<Path> found = onPath();
        if (found.isEmpty()) {
            String message = "SKIPPED: promtool is not on the PATH, so the Prometheus checks did not run."
                    + " Install it (Debian: apt-get install prometheus; .ci/run does) to run them.";
            System.err.println("!!! " + message);
            Assumptions.abort(message);
        }
        return new Promtool(found.get());
    }

    private static Optional<Path> onPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "promtool");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Runs {@code promtool <arguments>} in {@code directory}, with {@code stdin} (may be empty) as its input. */
    Result run(Path directory, String stdin, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).directory(directory.toAbsolutePath().toFile()).redirectErrorStream(true).start();
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process));
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            if (!process.waitFor(BOUND_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + BOUND_SECONDS + " s");
            }
            return new Result(String.join(" ", command), process.exitValue(), output.get());
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        } catch (ExecutionException e) {
            throw new AssertionError("could not read the output of " + command, e.getCause());
        }
    }

    private static String readAll(Process process) {
        try {
            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What promtool said: its exit status and its stdout and stderr together. */
    record Result(String command, int exit, String output) {

        /** For assertion messages: the command, its status and everything it printed. */
        String describe() {
            return command + " exited with " + exit + ":\n" + output;
        }
    }
}

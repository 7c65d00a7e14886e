package dev.quiesce.process;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Gives each test its own data directory and starts services on it; after the test kills any that still run
 * and, when the test failed, prints the tail of each one's log and keeps the directory for a post-mortem.
 * Register with {@code @RegisterExtension final QuiesceProcesses quiesce = new QuiesceProcesses();}.
 */
public final class QuiesceProcesses implements BeforeEachCallback, AfterEachCallback {

    /** Bounds that only stop a hung test; they never measure speed. */
    static final Duration START_BOUND = Duration.ofSeconds(90);
    static final Duration EXIT_BOUND = Duration.ofSeconds(90);

    private final List<QuiesceProcess> started = new ArrayList<>();
    private Path dir;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("quiesce-it-" + context.getRequiredTestClass().getSimpleName() + "-");
    }

    /** This test's data directory (shared by every instance the test starts, like a persistent volume). */
    Path dataDir() {
        return dir;
    }

    /** A file in this test's directory, e.g. a journal. */
    Path file(String name) {
        return dir.resolve(name);
    }

    /** Launches an instance on this test's data directory without waiting for it. */
    QuiesceProcess launch(String... options) {
        Path log = dir.resolve("quiesce-" + (started.size() + 1) + ".log");
        QuiesceProcess process = QuiesceProcess.launch(jar(), dir, log, List.of(options));
        started.add(process);
        return process;
    }

    /** Launches an instance and waits until it is ready. */
    public QuiesceProcess start(String... options) {
        QuiesceProcess process = launch(options);
        process.awaitReady(START_BOUND);
        return process;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        started.forEach(QuiesceProcess::close);
        if (context.getExecutionException().isPresent()) {
            for (QuiesceProcess process : started) {
                System.err.println("==== " + process.log() + " (pid " + process.pid() + "), last lines ====");
                System.err.println("# " + process.command());
                System.err.println(process.logTail(120));
            }
            System.err.println("==== kept " + dir + " for inspection ====");
        } else {
            deleteRecursively(dir);
        }
        started.clear();
    }

    private static Path jar() {
        String path = System.getProperty("quiesce.jar");
        if (path == null || !Files.isRegularFile(Path.of(path))) {
            throw new IllegalStateException("system property quiesce.jar must name the packaged service jar "
                    + "(Failsafe sets it after 'package'), was " + path);
        }
        return Path.of(path);
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // A left-over temp directory is harmless; say so rather than fail a passing test over it.
            System.err.println("could not delete " + root + ": " + e);
        } catch (UncheckedIOException e) {
            System.err.println("could not delete " + root + ": " + e.getCause());
        }
    }
}

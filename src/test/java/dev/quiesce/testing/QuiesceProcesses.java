package dev.quiesce.testing;

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
 * Gives each test its own directory and starts services on it (or watches processes the test started itself,
 * such as a pod); after the test kills whatever of them still runs and, when the test failed, prints the tail of
 * each one's log and keeps the directory for a post-mortem.
 * Register with {@code @RegisterExtension final QuiesceProcesses quiesce = new QuiesceProcesses();}.
 */
public final class QuiesceProcesses implements BeforeEachCallback, AfterEachCallback {

    /** Bounds that only stop a hung test; they never measure speed. */
    public static final Duration START_BOUND = Duration.ofSeconds(90);
    public static final Duration EXIT_BOUND = Duration.ofSeconds(90);
    private static final List<String> JVM_OPTIONS = List.of("-Xmx384m");

    private final List<WatchedProcess> started = new ArrayList<>();
    private Path dir;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("quiesce-it-" + context.getRequiredTestClass().getSimpleName() + "-");
    }

    /** This test's directory: the data directory of every instance the test starts, like a persistent volume. */
    public Path dataDir() {
        return dir;
    }

    /** A file in this test's directory, e.g. a journal. */
    public Path file(String name) {
        return dir.resolve(name);
    }

    /** Launches an instance on this test's data directory without waiting for it. */
    public QuiesceProcess launch(String... options) {
        return launchOn(dir, options);
    }

    /**
     * Launches an instance on {@code dataDir} (e.g. a sub-directory of {@link #dataDir()}, one per instance of a
     * fleet) without waiting for it; its log is in this test's directory all the same.
     */
    public QuiesceProcess launchOn(Path dataDir, String... options) {
        Path log = dir.resolve("quiesce-" + (started.size() + 1) + ".log");
        return watch(QuiesceProcess.launch(packagedJar(), dataDir, log, JVM_OPTIONS, List.of(options)));
    }

    /** Launches an instance and waits until it is ready. */
    public QuiesceProcess start(String... options) {
        QuiesceProcess process = launch(options);
        process.awaitReady(START_BOUND);
        return process;
    }

    /** Keeps {@code process} (one the test started itself) to kill, and to show the log of, after the test. */
    public <T extends WatchedProcess> T watch(T process) {
        started.add(process);
        return process;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        started.forEach(WatchedProcess::close);
        if (context.getExecutionException().isPresent()) {
            for (WatchedProcess process : started) {
                System.err.println("==== " + process + ": " + process.log() + ", last lines ====");
                System.err.println("# " + process.log().commandLine());
                System.err.println(process.log().tail(150));
            }
            System.err.println("==== kept " + dir + " for inspection ====");
        } else {
            deleteRecursively(dir);
        }
        started.clear();
    }

    /** The jar Failsafe packaged, named by the system property {@code quiesce.jar}. */
    public static Path packagedJar() {
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
        } catch (IOException | UncheckedIOException e) {
            // A left-over temp directory is harmless; say so rather than fail a passing test over it.
            System.err.println("could not delete " + root + ": " + e);
        }
    }
}

package dev.quiesce.deploy;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Gives each test a directory for its pod (the image's layout, logs, the termination message) and kills the pods
 * it started after the test; when the test failed, prints each pod's command and log tail and keeps the
 * directory for a post-mortem.
 */
final class PodSandbox implements BeforeEachCallback, AfterEachCallback {

    private final List<Pod> pods = new ArrayList<>();
    private Path root;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        root = Files.createTempDirectory("quiesce-pod-" + context.getRequiredTestClass().getSimpleName() + "-");
    }

    Path root() {
        return root;
    }

    /** Keeps {@code pod} to kill after the test. */
    Pod watch(Pod pod) {
        pods.add(pod);
        return pod;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        pods.forEach(Pod::close);
        if (context.getExecutionException().isPresent()) {
            for (Pod pod : pods) {
                System.err.println("==== " + pod.log() + ", last lines ====");
                System.err.println("# " + pod.command());
                System.err.println(pod.logTail(150));
            }
            System.err.println("==== kept " + root + " for inspection ====");
        } else {
            deleteRecursively(root);
        }
        pods.clear();
    }

    /** The jar Failsafe packaged, named by the system property {@code quiesce.jar}. */
    static Path packagedJar() {
        String path = System.getProperty("quiesce.jar");
        if (path == null || !Files.isRegularFile(Path.of(path))) {
            throw new IllegalStateException("system property quiesce.jar must name the packaged service jar "
                    + "(Failsafe sets it after 'package'), was " + path);
        }
        return Path.of(path);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | UncheckedIOException e) {
            // A left-over temp directory is harmless; say so rather than fail a passing test over it.
            System.err.println("could not delete " + directory + ": " + e);
        }
    }
}

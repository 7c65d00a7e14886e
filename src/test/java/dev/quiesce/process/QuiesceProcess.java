package dev.quiesce.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Quiesce service started from the packaged jar as a real operating-system process: its own ports, its
 * output in a log file, real signals sent with {@code kill}. Closing it kills whatever is still alive, so a
 * failed test never leaves a service behind.
 */
public final class QuiesceProcess implements AutoCloseable {

    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    private final Process process;
    private final List<String> command;
    private final Path log;
    private final int port;
    private final int managementPort;
    private final long launchedAt;
    private final HttpClient probe = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private volatile long signalledAt;
    private volatile List<ProcessHandle> descendantsAtSignal = List.of();

    private QuiesceProcess(Process process, List<String> command, Path log, int port, int managementPort,
                           long launchedAt) {
        this.process = process;
        this.command = List.copyOf(command);
        this.log = log;
        this.port = port;
        this.managementPort = managementPort;
        this.launchedAt = launchedAt;
    }

    /**
     * Launches {@code java -jar quiesce.jar} on fresh ports with {@code dataDir}; {@code options} are further
     * {@code --name=value} arguments. Returns at once: see {@link #awaitReady}.
     */
    static QuiesceProcess launch(Path jar, Path dataDir, Path log, List<String> options) {
        int port = freePort();
        int managementPort = freePort();
        List<String> command = new ArrayList<>(List.of(
                JAVA.toString(), "-Xmx384m", "-jar", jar.toString(),
                "--server.port=" + port,
                "--management.server.port=" + managementPort,
                "--quiesce.data-dir=" + dataDir));
        command.addAll(options);
        try {
            long launchedAt = System.nanoTime();
            Process process = new ProcessBuilder(command)
                    .directory(dataDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            return new QuiesceProcess(process, command, log, port, managementPort, launchedAt);
        } catch (IOException e) {
            throw new UncheckedIOException("could not launch " + command, e);
        }
    }

    public long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The client of this instance's API; {@code token} may be null. */
    QuiesceApi api(String token) {
        return new QuiesceApi(URI.create("http://127.0.0.1:" + port), token);
    }

    public QuiesceApi api() {
        return api(null);
    }

    /** Time since the process was launched, on the monotonic clock. */
    Duration sinceLaunch() {
        return Duration.ofNanos(System.nanoTime() - launchedAt);
    }

    /** Waits until the readiness probe answers 200; fails early, with the log, if the process dies first. */
    void awaitReady(Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the service exited with " + process.exitValue()
                        + " before it was ready; log tail:\n" + logTail(60));
            }
            if (readinessStatus() == 200) {
                return;
            }
            pause(Duration.ofMillis(100));
        }
        throw new AssertionError("the service was not ready within " + atMost + "; log tail:\n" + logTail(60));
    }

    /**
     * The readiness probe's status, or -1 when nothing answers (the management server is not up, or no longer).
     */
    int readinessStatus() {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(5))
                .GET()
                .build();
        try {
            return probe.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (ConnectException e) {
            return -1;
        } catch (IOException e) {
            // A reset or a timeout while the server stops: the probe has no answer to give either.
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while probing readiness", e);
        }
    }

    /**
     * Sends a real signal ({@code TERM}, {@code INT}, {@code KILL}) with {@code kill -s}, and remembers when,
     * and which descendants the process had at that moment (to check none outlives it).
     */
    void signal(String name) {
        descendantsAtSignal = process.toHandle().descendants().toList();
        signalledAt = System.nanoTime();
        try {
            Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(process.pid()))
                    .redirectErrorStream(true)
                    .start();
            String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill -s " + name + " " + process.pid() + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while signalling", e);
        }
    }

    /**
     * Waits for the process to exit by itself. The bound only stops a hung test: a process still alive then
     * fails the test with its log.
     */
    Exit awaitExit(Duration atMost) {
        try {
            if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the service did not exit within " + atMost + "; log tail:\n" + logTail(80));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the service to exit", e);
        }
        long exitedAt = System.nanoTime();
        long from = signalledAt != 0 ? signalledAt : launchedAt;
        List<ProcessHandle> survivors = descendantsAtSignal.stream().filter(ProcessHandle::isAlive).toList();
        return new Exit(process.exitValue(), Duration.ofNanos(exitedAt - from), survivors);
    }

    /** Everything the service wrote to stdout and stderr (the command line is not in it: see {@link #command}). */
    String logText() {
        return readLog(log);
    }

    String logTail(int lines) {
        return tail(logText(), lines);
    }

    /** A log file's text, or a line saying why it cannot be read (a test's failure message must still be built). */
    public static String readLog(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(could not read " + log + ": " + e + ")";
        }
    }

    /** The last {@code lines} lines of {@code text}. */
    public static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    String command() {
        return String.join(" ", command);
    }

    Path log() {
        return log;
    }

    /** Kills the process (and any descendant) if it is still alive. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        List<ProcessHandle> descendants = process.toHandle().descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * How the process ended.
     *
     * @param code          its exit status (128 + signal number when the JVM ended because of a signal)
     * @param sinceSignal   from the last signal sent (or from launch, if none) to the observed exit
     * @param survivors     descendants it had when signalled that are still alive after its exit
     */
    record Exit(int code, Duration sinceSignal, List<ProcessHandle> survivors) {
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}

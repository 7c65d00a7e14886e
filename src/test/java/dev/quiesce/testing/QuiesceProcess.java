package dev.quiesce.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Quiesce service started from the packaged jar as a real operating-system process: its own ports, its
 * output in a log file, real signals. Times are taken on the monotonic clock ({@link System#nanoTime()}) for
 * durations and on the wall clock where they are compared with timestamps the service wrote. Closing it kills
 * whatever of it is still alive, so a failed test or benchmark run never leaves a service behind.
 */
public final class QuiesceProcess implements WatchedProcess {

    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    private final Process process;
    private final ProcessLog log;
    private final int port;
    private final int managementPort;
    private final long launchedAt;
    private final Actuator actuator;
    private volatile Signalled lastSignal;

    private QuiesceProcess(Process process, ProcessLog log, int port, int managementPort, long launchedAt) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.managementPort = managementPort;
        this.launchedAt = launchedAt;
        this.actuator = new Actuator(managementPort);
    }

    /**
     * Launches {@code java <jvmOptions> -jar <jar>} on fresh ports with {@code dataDir} (created if missing) as
     * its data and working directory, the fault job types on and journals allowed in the data directory;
     * {@code options} are further {@code --name=value} arguments, the output is appended to {@code log}. Returns at once: see {@link #awaitReady}.
     */
    public static QuiesceProcess launch(Path jar, Path dataDir, Path log, List<String> jvmOptions, List<String> options) {
        int port = freePort();
        int managementPort = freePort();
        List<String> command = new ArrayList<>();
        command.add(JAVA.toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(),
                "--server.port=" + port,
                "--management.server.port=" + managementPort,
                "--quiesce.data-dir=" + dataDir));
        // The fault job types and journals (files inside the data directory), unless the test says otherwise.
        if (options.stream().noneMatch(option -> option.startsWith("--quiesce.builtin.fault-types="))) {
            command.add("--quiesce.builtin.fault-types=true");
        }
        if (options.stream().noneMatch(option -> option.startsWith("--quiesce.builtin.journal-dir="))) {
            command.add("--quiesce.builtin.journal-dir=" + dataDir);
        }
        command.addAll(options);
        try {
            Files.createDirectories(dataDir);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(dataDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            long launchedAt = System.nanoTime();
            Process process = builder.start();
            return new QuiesceProcess(process, new ProcessLog(log, command), port, managementPort, launchedAt);
        } catch (IOException e) {
            throw new UncheckedIOException("could not launch " + command, e);
        }
    }

    public long pid() {
        return process.pid();
    }

    /** The port of the job API (a client other than {@link #api()}, e.g. the enqueue benchmark's, needs it). */
    public int port() {
        return port;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The client of this instance's job API; {@code token} may be null. */
    public QuiesceApi api(String token) {
        return new QuiesceApi(URI.create("http://127.0.0.1:" + port), token);
    }

    public QuiesceApi api() {
        return api(null);
    }

    /** The client of this instance's management port (health, prometheus, the quiesce endpoint). */
    public Actuator actuator() {
        return actuator;
    }

    /** Time since the process was launched, on the monotonic clock. */
    public Duration sinceLaunch() {
        return Duration.ofNanos(System.nanoTime() - launchedAt);
    }

    /** {@link #awaitReady(Duration, Duration)}, polling every 100 ms. */
    public Duration awaitReady(Duration atMost) {
        return awaitReady(atMost, Duration.ofMillis(100));
    }

    /**
     * Polls the readiness probe every {@code every} until it answers 200 and returns the time from launch to that
     * answer. Fails early, with the log, if the process dies first, or once {@code atMost} from launch has passed
     * (a bound that only stops a hung run).
     */
    public Duration awaitReady(Duration atMost, Duration every) {
        long deadline = launchedAt + atMost.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                throw new AssertionError("the service exited with " + process.exitValue()
                        + " before it was ready; log tail:\n" + log.tail(60));
            }
            if (actuator.readiness() == 200) {
                return sinceLaunch();
            }
            pause(every);
        }
        throw new AssertionError("the service was not ready within " + atMost + "; log tail:\n" + log.tail(60));
    }

    /**
     * Sends a real signal, and remembers when and which descendants the process had at that moment (to check
     * that none outlives it).
     */
    public Signalled signal(Signal signal) {
        List<ProcessHandle> descendants = process.toHandle().descendants().toList();
        Signalled sent = new Signalled(signal, System.nanoTime(), Instant.now(), descendants);
        lastSignal = sent;
        signal.sendTo(process.toHandle());
        return sent;
    }

    /**
     * Waits for the process to exit by itself. The bound only stops a hung run: a process still alive then
     * fails with its log.
     */
    public Exit awaitExit(Duration atMost) {
        try {
            if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the service did not exit within " + atMost + "; log tail:\n" + log.tail(80));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the service to exit", e);
        }
        long exitedAt = System.nanoTime();
        Instant exitedAtWall = Instant.now();
        Signalled signal = lastSignal;
        long from = signal != null ? signal.nanos() : launchedAt;
        List<ProcessHandle> survivors = signal == null ? List.of()
                : signal.descendants().stream().filter(ProcessHandle::isAlive).toList();
        return new Exit(process.exitValue(), Duration.ofNanos(exitedAt - from), exitedAtWall, survivors);
    }

    @Override
    public ProcessLog log() {
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

    @Override
    public String toString() {
        return "service pid " + process.pid() + " (api " + port + ", management " + managementPort + ")";
    }

    /**
     * A signal as it was sent.
     *
     * @param nanos       when, on the monotonic clock
     * @param at          when, on the wall clock (to compare with timestamps the service wrote)
     * @param descendants the processes below the service at that moment
     */
    public record Signalled(Signal signal, long nanos, Instant at, List<ProcessHandle> descendants) {
    }

    /**
     * How the process ended.
     *
     * @param code        its exit status (128 + signal number when the JVM ended because of a signal)
     * @param sinceSignal from the last signal sent (or from launch, if none) to the observed exit
     * @param at          when the exit was observed, on the wall clock
     * @param survivors   descendants it had when signalled that are still alive after its exit
     */
    public record Exit(int code, Duration sinceSignal, Instant at, List<ProcessHandle> survivors) {
    }

    /** A TCP port nothing listens on now (a race with other processes is possible, and unlikely). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    /** Sleeps between two polls; an interrupt fails the run (and stays set). */
    public static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}

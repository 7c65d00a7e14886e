package dev.quiesce.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged service started as a real process ({@code java -jar}) on free ports with its own data directory,
 * its output in a log file. Times are taken on the harness's monotonic clock ({@link System#nanoTime()}).
 */
final class ServiceProcess implements AutoCloseable {

    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    private static final Pattern STARTED = Pattern.compile("Started QuiesceApplication in ([0-9.]+) seconds");
    private static final Pattern DISPATCHER_STOPPED = Pattern.compile("Dispatcher stopped after (\\d+) ms");

    private final Process process;
    private final List<String> command;
    private final Path log;
    private final int port;
    private final int managementPort;
    private final long launchedNanos;
    private final HttpClient probe = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private long signalNanos;
    private long signalWallMillis;

    private ServiceProcess(Process process, List<String> command, Path log, int port, int managementPort, long launchedNanos) {
        this.process = process;
        this.command = command;
        this.log = log;
        this.port = port;
        this.managementPort = managementPort;
        this.launchedNanos = launchedNanos;
    }

    /** Launches {@code java <jvmOptions> -jar jar --server.port=.. --management.server.port=.. --quiesce.data-dir=.. <args>}. */
    static ServiceProcess launch(Path jar, Path dataDir, Path log, List<String> jvmOptions, List<String> args) {
        int port = freePort();
        int managementPort = freePort();
        List<String> command = new ArrayList<>();
        command.add(JAVA.toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(),
                "--server.port=" + port,
                "--management.server.port=" + managementPort,
                "--quiesce.data-dir=" + dataDir));
        command.addAll(args);
        try {
            Files.createDirectories(dataDir);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(dataDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            long launched = System.nanoTime();
            Process process = builder.start();
            return new ServiceProcess(process, List.copyOf(command), log, port, managementPort, launched);
        } catch (IOException e) {
            throw new UncheckedIOException("could not launch " + command, e);
        }
    }

    URI api() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The management (actuator) port's base URI. */
    URI management() {
        return URI.create("http://127.0.0.1:" + managementPort);
    }

    long pid() {
        return process.pid();
    }

    String command() {
        return String.join(" ", command);
    }

    Path log() {
        return log;
    }

    /**
     * Polls {@code /actuator/health/readiness} every {@code every} until it answers 200 and returns the time from
     * launch to that answer. Fails, with the log tail, if the process dies or {@code atMost} passes.
     */
    Duration awaitReady(Duration atMost, Duration every) {
        long deadline = launchedNanos + atMost.toNanos();
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new BenchFailure("the service exited with " + process.exitValue() + " before it was ready; log tail:\n" + logTail(40));
            }
            try {
                if (probe.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return Duration.ofNanos(System.nanoTime() - launchedNanos);
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BenchFailure("interrupted");
            }
            sleep(every);
        }
        throw new BenchFailure("the service was not ready within " + atMost + "; log tail:\n" + logTail(40));
    }

    /** Sends SIGTERM ({@link Process#destroy()} is {@code kill(pid, SIGTERM)} on Linux) and remembers when. */
    void sigterm() {
        signalWallMillis = System.currentTimeMillis();
        signalNanos = System.nanoTime();
        process.destroy();
    }

    /** Sends SIGKILL ({@link Process#destroyForcibly()}) and remembers when. */
    void sigkill() {
        signalWallMillis = System.currentTimeMillis();
        signalNanos = System.nanoTime();
        process.destroyForcibly();
    }

    long signalNanos() {
        return signalNanos;
    }

    long signalWallMillis() {
        return signalWallMillis;
    }

    /** An exit observed by the harness: monotonic and wall-clock time of the observation, and the exit code. */
    record Exit(int code, long nanos, long wallMillis) {
    }

    /** Waits until the process is gone (the JDK's reaper thread wakes on {@code waitpid}); fails after {@code atMost}. */
    Exit awaitExit(Duration atMost) {
        try {
            if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new BenchFailure("the service did not exit within " + atMost + "; log tail:\n" + logTail(40));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailure("interrupted");
        }
        return new Exit(process.exitValue(), System.nanoTime(), System.currentTimeMillis());
    }

    String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    String logTail(int lines) {
        List<String> all = logText().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** The seconds in Boot's "Started QuiesceApplication in X seconds" line, if it was printed. */
    Optional<Double> startedInSeconds() {
        Matcher m = STARTED.matcher(logText());
        return m.find() ? Optional.of(Double.parseDouble(m.group(1))) : Optional.empty();
    }

    /** The milliseconds in the dispatcher's "Dispatcher stopped after N ms" line, if printed. */
    Optional<Long> dispatcherStoppedMillis() {
        Matcher m = DISPATCHER_STOPPED.matcher(logText());
        return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
    }

    /** Runs {@code jcmd <pid> <command>} and returns its output (for thread dumps during a run). */
    String jcmd(String... arguments) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        cmd.add(Long.toString(process.pid()));
        cmd.addAll(List.of(arguments));
        try {
            Process jcmd = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            jcmd.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "jcmd failed: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Kills the process if it still runs (a failed scenario never leaves a service behind). */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailure("interrupted");
        }
    }
}

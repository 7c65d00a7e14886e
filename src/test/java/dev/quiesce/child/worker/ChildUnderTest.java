package dev.quiesce.child.worker;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real child JVM running {@link ChildMain}, spoken to as the service would: frames over its stdin and
 * stdout. Its class path is only the directory (or jar) holding {@code ChildMain} — no Spring, no library —
 * so these tests also prove the child needs nothing but the JDK. Frames are read on a background thread
 * into a queue; a {@link ProtocolException} or the end of the stream is queued as an {@link Ending}.
 * Closing kills the child (and its tree) if it is still alive.
 */
final class ChildUnderTest implements AutoCloseable {

    static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    /** What the reader thread queues when the stream ends: clean end of stream, or a protocol error. */
    record Ending(IOException cause) {
    }

    private final Process process;
    private final OutputStream stdin;
    private final long startedNanos;
    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private volatile long helloNanos;

    private ChildUnderTest(Process process, long startedNanos) {
        this.process = process;
        this.stdin = process.getOutputStream();
        this.startedNanos = startedNanos;
        Thread.ofPlatform().daemon().name("child-" + process.pid() + "-frames").start(this::readFrames);
        Thread.ofPlatform().daemon().name("child-" + process.pid() + "-stderr").start(this::readStderr);
    }

    static ChildUnderTest start() {
        return start(List.of(), String.valueOf(ProcessHandle.current().pid()));
    }

    /** Starts a child with extra JVM options and {@code QUIESCE_PARENT_PID} set to {@code parentPid} (null: unset). */
    static ChildUnderTest start(List<String> jvmOptions, String parentPid) {
        return start(jvmOptions, parentPid, childClassPath());
    }

    static ChildUnderTest start(List<String> jvmOptions, String parentPid, String classPath) {
        return start(jvmOptions, parentPid, classPath, java.util.Map.of());
    }

    /** With further environment variables, e.g. the journal directory. */
    static ChildUnderTest start(java.util.Map<String, String> environment) {
        return start(List.of(), null, childClassPath(), environment);
    }

    static ChildUnderTest start(List<String> jvmOptions, String parentPid, String classPath, java.util.Map<String, String> environment) {
        List<String> command = new ArrayList<>();
        command.add(JAVA.toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", classPath, ChildMain.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove(ChildMain.PARENT_PID_ENV);
        builder.environment().remove("QUIESCE_JOURNAL_DIR");
        builder.environment().putAll(environment);
        if (parentPid != null) {
            builder.environment().put(ChildMain.PARENT_PID_ENV, parentPid);
        }
        try {
            long started = System.nanoTime();
            return new ChildUnderTest(builder.start(), started);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String childClassPath() {
        try {
            return Path.of(ChildMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    /** Waits for the hello frame and returns its pid. */
    long awaitHello() {
        Frame.Hello hello = next(Frame.Hello.class, Duration.ofSeconds(30));
        helloNanos = System.nanoTime();
        return hello.pid();
    }

    long startedNanos() {
        return startedNanos;
    }

    Duration startToHello() {
        return Duration.ofNanos(helloNanos - startedNanos);
    }

    void send(Frame frame) {
        try {
            FrameCodec.write(stdin, frame);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void sendRaw(byte[] bytes) {
        try {
            stdin.write(bytes);
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private volatile Frame.Stats lastStats;

    void task(long jobId, String type, String payload) {
        send(new Frame.Task(jobId, 1, type, payload));
    }

    /** Sends a task and returns its result, checking that a stats frame follows it. */
    Frame.Result run(long jobId, String type, String payload) {
        task(jobId, type, payload);
        return awaitResult();
    }

    Frame.Result awaitResult() {
        Frame.Result result = next(Frame.Result.class, Duration.ofSeconds(60));
        lastStats = next(Frame.Stats.class, Duration.ofSeconds(5));
        return result;
    }

    /** The stats frame that followed the last result {@link #awaitResult} returned. */
    Frame.Stats lastStats() {
        return lastStats;
    }

    /** The next thing received within {@code timeout}, or null: a frame or an {@link Ending}. */
    Object poll(Duration timeout) {
        try {
            return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    <T> T next(Class<T> type, Duration timeout) {
        Object item = poll(timeout);
        if (!type.isInstance(item)) {
            throw new AssertionError("expected a " + type.getSimpleName() + " within " + timeout + ", got " + item
                    + "; child stderr: " + stderr);
        }
        return type.cast(item);
    }

    void closeStdin() {
        try {
            stdin.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the child to exit and returns its exit code; fails if it does not within {@code timeout}. */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("child " + pid() + " still alive after " + timeout + "; stderr: " + stderr);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return process.exitValue();
    }

    List<String> stderr() {
        return List.copyOf(stderr);
    }

    /** The first stderr line that {@code match}es, waiting up to 10 s for it (stderr is read on its own thread). */
    String awaitStderr(java.util.function.Predicate<String> match) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            for (String line : stderr) {
                if (match.test(line)) {
                    return line;
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no matching stderr line within 10 s; stderr: " + stderr);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Resident memory of the child now, from /proc (-1 if unknown). */
    long residentBytes() {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            List<ProcessHandle> tree = process.descendants().toList();
            process.destroyForcibly();
            tree.forEach(ProcessHandle::destroyForcibly);
        }
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void readFrames() {
        InputStream in = new BufferedInputStream(process.getInputStream());
        while (true) {
            try {
                received.add(FrameCodec.read(in, FrameCodec.DEFAULT_MAX_FRAME));
            } catch (EOFException e) {
                received.add(new Ending(null));
                return;
            } catch (IOException e) {
                received.add(new Ending(e));
                return;
            }
        }
    }

    private void readStderr() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                stderr.add(line);
                System.err.println("[child " + process.pid() + "] " + line);
            }
        } catch (IOException e) {
            stderr.add("(stderr unreadable: " + e + ")");
        }
    }
}

package dev.quiesce.child;

import dev.quiesce.child.worker.ChildExitCode;
import dev.quiesce.child.worker.Frame;
import dev.quiesce.child.worker.FrameCodec;
import dev.quiesce.child.worker.ProtocolException;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One child JVM: its process, its protocol connection and what the pool knows of it. A reader thread decodes
 * the child's frames (never larger than {@link FrameCodec#DEFAULT_MAX_FRAME}) and reports them to the pool as
 * {@link Events}; frames to the child are written under a lock. What the pool knows of its life (state, task,
 * retirement, how it ended) is its {@link ChildLifecycle}, whose transitions the pool calls under its lock.
 */
final class ChildProcess {

    /** What the reader thread tells the pool, in this order: ready, task ends..., then exactly one exit. */
    interface Events {
        void ready(ChildProcess child);

        void taskEnded(ChildProcess child, Frame.Result result);

        /** After job {@code jobId}'s task, the child killed processes it left and reaped zombies (some > 0). */
        void cleanedUp(ChildProcess child, long jobId, int leftoversKilled, int zombiesReaped);

        /** The child broke the protocol; it must be killed (its exit follows). */
        void broken(ChildProcess child, String reason);

        /** The child is gone; {@code result} is a Result frame whose Stats never came, else null. */
        void exited(ChildProcess child, int exitCode, List<String> stderrTail, Frame.Result result);
    }

    private static final long EXIT_AFTER_EOF_MILLIS = 2_000;

    final int id;
    final String name;
    final Process process;
    final long pid;
    final Instant startedAt = Instant.now();
    final long launchedNanos;
    final StartReason reason;
    private final Object writeLock = new Object();
    private final OutputStream stdin;
    private final StderrForwarder stderr;

    /** Guarded by the pool's one lock, the ChildRoster's monitor. */
    final ChildLifecycle lifecycle = new ChildLifecycle();

    volatile long tasksServed;
    volatile long rssBytes;

    ChildProcess(int id, Process process, long launchedNanos, StartReason reason) {
        this.id = id;
        this.name = "child-" + id;
        this.process = process;
        this.pid = process.pid();
        this.launchedNanos = launchedNanos;
        this.reason = reason;
        this.stdin = new BufferedOutputStream(process.getOutputStream());
        this.stderr = StderrForwarder.start(name, pid, process.getErrorStream());
    }

    void startReading(Events events) {
        Thread.ofPlatform().name(name + "-reader").daemon(true).start(() -> read(events));
    }

    /** Writes a frame; false if the child's stdin is closed (the child is gone, its exit is on the way). */
    boolean send(Frame frame) {
        synchronized (writeLock) {
            try {
                FrameCodec.write(stdin, frame);
                return true;
            } catch (IOException e) {
                return false;
            }
        }
    }

    /** End of stdin: to the child, "the service is gone" (or, after a Shutdown frame, "no more frames"). */
    void closeStdin() {
        synchronized (writeLock) {
            try {
                stdin.close();
            } catch (IOException e) {
                // Closing a pipe whose reader is gone: nothing left to tell the child.
            }
        }
    }

    /** Why the child ended, for a task's error text: out of memory, a protocol error, or its exit code. */
    String describeExit(int exitCode, List<String> stderrTail) {
        if (exitCode == ChildExitCode.OUT_OF_MEMORY.code() || stderrTail.stream().anyMatch(l -> l.contains("OutOfMemoryError"))) {
            return "child ran out of memory (pid " + pid + ", " + ChildExitCode.describe(exitCode) + ")";
        }
        // Read without the pool's lock: the failure is set by this same reader thread (Events#broken).
        String failure = lifecycle.failure();
        if (failure != null) {
            return failure;
        }
        return "child pid " + pid + " exited with " + ChildExitCode.describe(exitCode);
    }

    ChildView view() {
        // The child reports its RSS after each task; before its first, read it from /proc (the console shows it).
        long rss = rssBytes > 0 ? rssBytes : residentBytes(pid);
        return new ChildView(id, pid, lifecycle.state(), tasksServed, rss, startedAt);
    }

    /** {@code VmRSS} of {@code /proc/<pid>/status} in bytes; 0 when unknown (not Linux, or the process is gone). */
    private static long residentBytes(long pid) {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring("VmRSS:".length()).replace("kB", "").strip()) * 1024;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // unknown: shown as such
        }
        return 0;
    }

    private void read(Events events) {
        DataInputStream in = new DataInputStream(new BufferedInputStream(process.getInputStream(), 64 * 1024));
        Frame.Result pending = null;
        try {
            while (true) {
                switch (FrameCodec.read(in, FrameCodec.DEFAULT_MAX_FRAME)) {
                    case Frame.Hello hello -> events.ready(this);
                    case Frame.Result result -> pending = result;
                    case Frame.Stats stats -> {
                        tasksServed = stats.tasksServed();
                        rssBytes = stats.rssBytes();
                        if (pending != null) {
                            Frame.Result result = pending;
                            pending = null;
                            if (stats.leftoversKilled() > 0 || stats.zombiesReaped() > 0) {
                                events.cleanedUp(this, result.jobId(), stats.leftoversKilled(), stats.zombiesReaped());
                            }
                            events.taskEnded(this, result);
                        }
                    }
                    case Frame frame -> throw new ProtocolException("unexpected " + frame.getClass().getSimpleName() + " frame");
                }
            }
        } catch (ProtocolException e) {
            events.broken(this, "protocol error from child pid " + pid + ": " + e.getMessage());
        } catch (EOFException e) {
            // The child closed stdout: it exited (or is exiting). Its exit code tells how.
        } catch (IOException e) {
            // The pipe broke under us: the child is gone. Its exit code tells how.
        }
        int exitCode = awaitExit();
        events.exited(this, exitCode, stderr.tail(200), pending);
    }

    private int awaitExit() {
        try {
            if (!process.waitFor(EXIT_AFTER_EOF_MILLIS, TimeUnit.MILLISECONDS)) {
                // Stdout closed but the process lives on: it can no longer talk to us, so it is of no use.
                ProcessTree.snapshot(process.toHandle()).kill();
                process.waitFor(EXIT_AFTER_EOF_MILLIS, TimeUnit.MILLISECONDS);
            }
            if (process.isAlive()) {
                return -1; // survived SIGKILL for seconds (a process stuck in the kernel): report it as unknown
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}

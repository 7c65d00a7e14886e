package dev.quiesce.child.worker;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;

/**
 * The entry point of a child JVM. It serves {@link Frame}s: tasks and cancels arrive on stdin, hello,
 * results and stats leave on stdout, which belongs to the protocol alone ({@code System.out} is pointed
 * at stderr before anything else runs).
 *
 * <p>The main thread only reads frames; tasks run on the {@link TaskLoop}'s thread. The child dies with
 * its parent: stdin's end means the parent is gone; on Linux the parent-death signal (SIGTERM) and a
 * check of the real parent pid against {@code QUIESCE_PARENT_PID} cover the parent dying without its
 * pipes being noticed. Every exit kills the child's descendants first (see {@link ChildExit}); as a
 * subreaper it also finds daemonized ones.
 */
public final class ChildMain {

    /** Environment variable with the pid of the service that started this child. */
    public static final String PARENT_PID_ENV = "QUIESCE_PARENT_PID";

    private final InputStream in;
    private final TaskLoop tasks;
    private final ChildExit exit;
    private final ParentWatch parent;
    private boolean shutdownRequested;

    private ChildMain(InputStream in, TaskLoop tasks, ChildExit exit, ParentWatch parent) {
        this.in = in;
        this.tasks = tasks;
        this.exit = exit;
        this.parent = parent;
    }

    public static void main(String[] args) {
        // Until the hello is out, this thread avoids what costs a fresh JVM tens of milliseconds:
        // lambdas, ProcessHandle, string concatenation, pattern switches. The slow part of start-up
        // runs on the task thread meanwhile (see ParentDeathGuard).
        FrameWriter writer = new FrameWriter(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16));
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        InputStream in = new BufferedInputStream(new FileInputStream(FileDescriptor.in), 1 << 16);

        Descendants descendants = new Descendants();
        ChildExit exit = new ChildExit(descendants);
        Runtime.getRuntime().addShutdownHook(exit.shutdownHook());
        ParentWatch parent = ParentWatch.fromEnvironment();
        TaskLoop tasks = new TaskLoop(new ParentDeathGuard(descendants, parent, exit), writer, descendants, exit);
        tasks.startThread();
        try {
            writer.sendHello(SelfPid.get());
        } catch (IOException e) {
            exit.halt(ChildExitCode.GRACEFUL, "the service is gone (writing hello failed: " + e.getMessage() + ")");
        }
        new ChildMain(in, tasks, exit, parent).serve();
    }

    private void serve() {
        while (true) {
            Frame frame;
            try {
                frame = FrameCodec.read(in, FrameCodec.DEFAULT_MAX_FRAME);
            } catch (EOFException e) {
                stdinEnded();
                return;
            } catch (ProtocolException e) {
                exit.halt(ChildExitCode.PROTOCOL_ERROR, "malformed frame from the service: " + e.getMessage());
                return;
            } catch (IOException e) {
                exit.halt(ChildExitCode.GRACEFUL, "the service is gone (reading stdin failed: " + e.getMessage() + ")");
                return;
            }
            // Not a pattern switch: its bootstrap would cost the first task a few milliseconds.
            if (frame instanceof Frame.Task task) {
                if (shutdownRequested) {
                    exit.halt(ChildExitCode.PROTOCOL_ERROR, "task for job " + task.jobId() + " after shutdown");
                } else if (!tasks.start(task)) {
                    exit.halt(ChildExitCode.PROTOCOL_ERROR, "task for job " + task.jobId() + " while job "
                            + tasks.currentJobId() + " is running");
                }
            } else if (frame instanceof Frame.Cancel cancel) {
                tasks.cancel(cancel.jobId());
            } else if (frame instanceof Frame.Shutdown) {
                shutdownRequested = true;
                if (tasks.exitWhenIdle()) {
                    exit.halt(ChildExitCode.GRACEFUL, "shutdown requested");
                }
            } else {
                exit.halt(ChildExitCode.PROTOCOL_ERROR, "unexpected frame from the service: " + frame);
            }
        }
    }

    /**
     * Without a prior {@code Shutdown}, the end of stdin means the service is gone: exit now. After one,
     * it is the service closing its side of a graceful stop: let the running task finish (the task thread
     * exits after sending its result), unless the service dies meanwhile.
     */
    private void stdinEnded() {
        if (!shutdownRequested) {
            exit.halt(ChildExitCode.GRACEFUL, "stdin closed: the service is gone");
        }
        while (true) {
            if (parent.isGone()) {
                exit.halt(ChildExitCode.GRACEFUL, "the service died while its last task ran");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exit.halt(ChildExitCode.GRACEFUL, "interrupted while the last task ran");
            }
        }
    }
}

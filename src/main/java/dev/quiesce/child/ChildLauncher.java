package dev.quiesce.child;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;

/**
 * Starts every child JVM from one dedicated, long-lived platform thread ({@code quiesce-child-launcher}).
 * Linux sends a child its PR_SET_PDEATHSIG signal when the <em>thread</em> that forked it exits, not the
 * process: forking from a short-lived thread would kill the child with that thread. The same thread runs
 * the subreaper's sweeps, so a sweep never sees a child that is forked but not yet known as ours.
 */
final class ChildLauncher implements AutoCloseable {

    private final ChildCommand command;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("quiesce-child-launcher").daemon(true).factory());
    /** JVM-wide: a second pool in the same JVM (tests) must not take the first one's children for adopted ones. */
    private static final Set<Long> launchedPids = ConcurrentHashMap.newKeySet();

    ChildLauncher(ChildCommand command) {
        this.command = command;
    }

    /** Starts a child on the launcher thread; the process's pid is known as ours before the future completes. */
    CompletableFuture<Process> launch() {
        try {
            return CompletableFuture.supplyAsync(this::startProcess, thread);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e); // closed: the pool has stopped
        }
    }

    /** Runs {@code work} on the launcher thread, serialized with launches. */
    <T> CompletableFuture<T> onLauncherThread(Callable<T> work) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return work.call();
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }, thread);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e); // closed: the pool has stopped
        }
    }

    /** Pids of the child JVMs we started that the JDK has not reaped yet; the JDK reaps these, never we. */
    Set<Long> launchedPids() {
        return Set.copyOf(launchedPids);
    }

    private Process startProcess() {
        ProcessBuilder builder = new ProcessBuilder(command.command());
        builder.environment().clear();
        builder.environment().putAll(command.environment());
        try {
            Process process = builder.start();
            long pid = process.pid();
            launchedPids.add(pid);
            process.onExit().thenRun(() -> launchedPids.remove(pid));
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a child JVM: " + command.command(), e);
        }
    }

    /** Ends the launcher thread; only once every child is gone, since their death signal is tied to it. */
    @Override
    public void close() {
        thread.shutdown();
    }
}

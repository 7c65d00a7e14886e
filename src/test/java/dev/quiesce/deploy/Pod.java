package dev.quiesce.deploy;

import dev.quiesce.testing.ProcScan;
import dev.quiesce.testing.ProcScan.Proc;
import dev.quiesce.testing.ProcessLog;
import dev.quiesce.testing.QuiesceProcess;
import dev.quiesce.testing.Signal;
import dev.quiesce.testing.WatchedProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A container as a container runtime starts it, without the image: the image's entrypoint in a fresh PID
 * namespace ({@code unshare --pid --fork --mount-proc}), so that its first process (tini) is PID 1 there, sees
 * only the namespace in {@code /proc}, and takes every process of the namespace with it when it exits. From
 * outside, the test signals that PID 1 as the kubelet signals a container's, and finds every process of the
 * namespace through the host's {@code /proc}.
 */
final class Pod implements WatchedProcess {

    static final List<String> NEW_PID_NAMESPACE = List.of("unshare", "--pid", "--fork", "--mount-proc");

    private final Process unshare;
    private final ProcessLog log;
    private ProcessHandle init;
    private String namespace;

    private Pod(Process unshare, ProcessLog log) {
        this.unshare = unshare;
        this.log = log;
    }

    /**
     * Starts {@code entrypoint} as PID 1 of a new PID namespace, in {@code workdir}, with exactly {@code env} (a
     * container sees only its image's and its pod's variables), its output appended to {@code log}.
     */
    static Pod start(List<String> entrypoint, Map<String, String> env, Path workdir, Path log) {
        List<String> command = new ArrayList<>(NEW_PID_NAMESPACE);
        command.addAll(entrypoint);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workdir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().clear();
        builder.environment().putAll(env);
        try {
            return new Pod(builder.start(), new ProcessLog(log, command));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** The namespace's PID 1 seen from the host: the process {@code unshare} forked. */
    ProcessHandle init() {
        if (init == null) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (init == null && System.nanoTime() < deadline) {
                init = unshare.toHandle().children().findFirst().orElse(null);
                if (init == null) {
                    if (!unshare.isAlive()) {
                        throw new AssertionError("unshare exited with " + unshare.exitValue() + " before its PID 1 "
                                + "started; log:\n" + log.tail(40));
                    }
                    QuiesceProcess.pause(Duration.ofMillis(10));
                }
            }
            if (init == null) {
                throw new AssertionError("unshare started no PID 1 within 30 s");
            }
            namespace = ProcScan.pidNamespace(init.pid()).orElseThrow(() -> new AssertionError("PID 1 exited at once; log:\n"
                    + log.tail(40)));
        }
        return init;
    }

    /** The process PID 1 runs (for this image: the JVM under tini), once it has started. */
    Optional<ProcessHandle> service() {
        return init().children().findFirst();
    }

    /** Every live process of the namespace now, PID 1 included (empty once the namespace is gone). */
    List<Proc> processes() {
        init();
        return ProcScan.all().stream()
                .filter(p -> !p.isZombie() && ProcScan.pidNamespace(p.pid()).map(namespace::equals).orElse(false))
                .toList();
    }

    /** Sends {@code signal} to the namespace's PID 1, as the kubelet does to a container. */
    void signal(Signal signal) {
        signal.sendTo(init());
    }

    /** Waits up to {@code atMost} for the pod to end (its PID 1 exited, so unshare did); true if it did. */
    boolean awaitExit(Duration atMost) {
        try {
            return unshare.waitFor(Math.max(0, atMost.toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the pod to exit", e);
        }
    }

    boolean isAlive() {
        return unshare.isAlive();
    }

    /** PID 1's exit status, which unshare passes on. */
    int exitCode() {
        return unshare.exitValue();
    }

    /**
     * SIGKILL to the namespace's PID 1, as the kubelet does at the end of the grace period: the kernel then kills
     * every other process of the namespace. Waits (bounded) until unshare has seen it.
     */
    void kill() {
        if (init != null) {
            init.destroyForcibly();
        }
        unshare.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
    }

    @Override
    public ProcessLog log() {
        return log;
    }

    /** Kills whatever of the pod still runs. */
    @Override
    public void close() {
        if (unshare.isAlive() || (init != null && init.isAlive())) {
            kill();
        }
    }

    @Override
    public String toString() {
        return "pod (unshare pid " + unshare.pid() + (init == null ? "" : ", PID 1 = host pid " + init.pid()) + ")";
    }
}

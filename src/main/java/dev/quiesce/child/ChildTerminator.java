package dev.quiesce.child;

import dev.quiesce.child.worker.Frame;
import dev.quiesce.leak.LeakKind;
import dev.quiesce.leak.Leaks;
import dev.quiesce.shutdown.Deadline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The pool's last step: terminates every child JVM, all in parallel against the children-stopped deadline, in
 * three steps: a Shutdown frame and the end of stdin (the child finishes, kills its descendants and exits 0)
 * until half the time is gone; then SIGTERM (the child kills its descendants and halts) until three quarters;
 * then SIGKILL to the whole tree, its descendants snapshotted first and killed bottom-up. Each child's end is a
 * {@link ChildExit}, counted in the metrics. A child that had to be killed did not release on its own: it counts
 * as a {@code child_process} leak (reclaimed), its descendants as {@code descendant_process} leaks, and whatever
 * outlives SIGKILL stays outstanding. Only then does it end the timer and the launcher thread: the children's
 * parent-death signal is tied to that thread, so it must outlive them.
 */
final class ChildTerminator {

    private static final Logger log = LoggerFactory.getLogger(ChildTerminator.class);

    private final ChildRoster roster;
    private final ChildLauncher launcher;
    private final Subreaper subreaper;
    private final ChildMetrics metrics;
    private final ScheduledExecutorService timer;
    private final Leaks leaks;

    ChildTerminator(ChildRoster roster, ChildLauncher launcher, Subreaper subreaper, ChildMetrics metrics,
                    ScheduledExecutorService timer, Leaks leaks) {
        this.roster = roster;
        this.launcher = launcher;
        this.subreaper = subreaper;
        this.metrics = metrics;
        this.timer = timer;
        this.leaks = leaks;
    }

    /**
     * Blocks until every child is gone or the deadline has passed; call after {@link ChildRoster#stopping()}.
     * Launches already submitted finish first, so no child is started behind the terminator's back; what the
     * children left adopted by this JVM is killed last.
     */
    TerminationResult terminate(Deadline deadline) {
        long start = System.nanoTime();
        onLauncherThread(() -> null, deadline, "Child launches still pending at shutdown");
        List<TerminationResult.Ended> ends = terminate(roster.retireAll(), deadline);
        int adoptedBefore = subreaper.adoptedKilled();
        onLauncherThread(() -> {
            subreaper.killAll(launcher.launchedPids(), deadline);
            return null;
        }, deadline, "Killing adopted processes did not finish");
        TerminationResult result = new TerminationResult(ends, subreaper.adoptedKilled() - adoptedBefore,
                Duration.ofNanos(System.nanoTime() - start));
        result.children().forEach(end -> metrics.exited(end.how()));
        timer.shutdownNow();
        launcher.close();
        log.info("Child pool stopped: {}", result);
        return result;
    }

    private void onLauncherThread(java.util.concurrent.Callable<Void> work, Deadline deadline, String problem) {
        try {
            launcher.onLauncherThread(work).get(deadline.remainingNanos() + 100_000_000L, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("{}: {}", problem, e.toString());
        }
    }

    private List<TerminationResult.Ended> terminate(List<ChildProcess> children, Deadline deadline) {
        long start = System.nanoTime();
        long total = deadline.remainingNanos();
        Deadline gracefulEnds = new Deadline(start + total / 2);
        Deadline terminatedEnds = new Deadline(start + total / 4 * 3);
        List<CompletableFuture<TerminationResult.Ended>> ends = new ArrayList<>();
        for (ChildProcess child : children) {
            CompletableFuture<TerminationResult.Ended> end = new CompletableFuture<>();
            Thread.ofVirtual().name(child.name + "-terminator").start(() -> {
                try {
                    end.complete(new TerminationResult.Ended(child.id, child.pid, terminate(child, gracefulEnds, terminatedEnds, deadline)));
                } catch (RuntimeException e) {
                    end.completeExceptionally(e);
                }
            });
            ends.add(end);
        }
        List<TerminationResult.Ended> results = new ArrayList<>();
        for (int i = 0; i < ends.size(); i++) {
            results.add(await(ends.get(i), children.get(i), deadline));
        }
        return results;
    }

    private ChildExit terminate(ChildProcess child, Deadline gracefulEnds, Deadline terminatedEnds, Deadline deadline) {
        child.send(new Frame.Shutdown());
        child.closeStdin();
        if (exited(child, gracefulEnds)) {
            return ChildExit.GRACEFUL;
        }
        child.process.destroy();
        if (exited(child, terminatedEnds)) {
            return ChildExit.TERMINATED;
        }
        ProcessTree tree = ProcessTree.snapshot(child.process.toHandle());
        tree.kill();
        subreaper.reapWhenDead(tree.descendantPids());
        boolean childGone = exited(child, deadline);
        if (childGone && tree.awaitGone(deadline)) {
            leaks.reclaimed(LeakKind.CHILD_PROCESS, 1, child.name + " (pid " + child.pid + ") ignored Shutdown and SIGTERM, killed");
            leaks.reclaimed(LeakKind.DESCENDANT_PROCESS, tree.descendantPids().size(),
                    "descendant(s) " + tree.descendantPids() + " of " + child.name + ", killed with it");
            return ChildExit.KILLED;
        }
        log.warn("{} (pid {}) or its descendants {} outlived SIGKILL until the deadline", child.name, child.pid, tree.descendantPids());
        if (!childGone) {
            leaks.detected(LeakKind.CHILD_PROCESS, child.pid, child.name + " (pid " + child.pid + ") outlived SIGKILL",
                    child.process::isAlive);
        }
        for (long pid : tree.descendantPids()) {
            ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(alive -> leaks.detected(LeakKind.DESCENDANT_PROCESS,
                    pid, "process " + pid + " below " + child.name + " outlived SIGKILL", alive::isAlive));
        }
        return ChildExit.KILLED;
    }

    private static boolean exited(ChildProcess child, Deadline deadline) {
        try {
            return child.process.waitFor(deadline.remainingNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !child.process.isAlive();
        }
    }

    private static TerminationResult.Ended await(CompletableFuture<TerminationResult.Ended> end, ChildProcess child, Deadline deadline) {
        try {
            // A little past the deadline: the last step itself waits until the deadline.
            return end.get(deadline.remainingNanos() + Duration.ofMillis(100).toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Terminating {} (pid {}) did not finish: {}", child.name, child.pid, e.toString());
        }
        return new TerminationResult.Ended(child.id, child.pid, ChildExit.KILLED);
    }
}

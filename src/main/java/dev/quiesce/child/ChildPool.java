package dev.quiesce.child;

import dev.quiesce.child.ChildTaskOutcome.Kind;
import dev.quiesce.child.worker.ChildTask;
import dev.quiesce.child.worker.Frame;
import dev.quiesce.shutdown.Deadline;
import dev.quiesce.shutdown.ShutdownClock;
import dev.quiesce.shutdown.ShutdownPhases;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Keeps {@code quiesce.children.size} child JVMs started and runs one task at a time on each. It supervises
 * them (a crashed child is replaced after a back-off; too many crashes degrade the pool instead of
 * crash-looping), recycles them (after max-tasks-per-child or above max-rss, replacement first), times tasks
 * out, and at shutdown terminates them all, descendants included, inside the child-stop deadline
 * ({@link ChildTerminator}). Everything about one child's connection lives in {@link ChildProcess}; every
 * state change happens here, under this pool's lock.
 */
public class ChildPool implements SmartLifecycle, ChildProcess.Events {

    private static final Logger log = LoggerFactory.getLogger(ChildPool.class);
    private static final Duration SWEEP_INTERVAL = Duration.ofSeconds(2);
    private static final Duration RETIRE_TIMEOUT = Duration.ofSeconds(10);

    private final ChildProperties properties;
    private final ShutdownClock shutdownClock;
    private final Duration cancelGrace;
    private final ChildLauncher launcher;
    private final ChildLedger ledger;
    private final Subreaper subreaper = new Subreaper();
    private final RestartPolicy restarts;
    private final ChildMetrics metrics;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("quiesce-child-timer").daemon(true).factory());
    private final AtomicInteger nextId = new AtomicInteger();
    private final List<ChildProcess> children = new ArrayList<>();
    private final Set<String> taskTypes;
    private int pendingStarts;
    private volatile boolean running;
    private volatile boolean stopping;
    private volatile TerminationResult lastTermination;

    public ChildPool(ChildProperties properties, Path dataDirectory, ShutdownClock shutdownClock, Duration cancelGrace,
                     MeterRegistry registry) {
        this(properties, dataDirectory, shutdownClock, cancelGrace, registry, ChildCommand.CHILD_MAIN);
    }

    /** With another main class: tests run misbehaving children. */
    ChildPool(ChildProperties properties, Path dataDirectory, ShutdownClock shutdownClock, Duration cancelGrace,
              MeterRegistry registry, String mainClass) {
        this.properties = properties;
        this.shutdownClock = shutdownClock;
        this.cancelGrace = cancelGrace;
        this.launcher = new ChildLauncher(ChildCommand.forThisJvm(properties, mainClass));
        this.ledger = new ChildLedger(dataDirectory);
        this.restarts = new RestartPolicy(properties.restartIntensity(), properties.restartPeriod());
        this.metrics = new ChildMetrics(registry, this::count);
        this.taskTypes = loadTaskTypes();
    }

    @Override
    public int getPhase() {
        return ShutdownPhases.CHILDREN;
    }

    @Override
    public void start() {
        ledger.killPreviousRun(Duration.ofSeconds(5));
        if (properties.size() == 0) {
            running = true;
            log.info("Child pool disabled (quiesce.children.size=0)");
            return;
        }
        subreaper.enable();
        running = true;
        synchronized (this) {
            topUp(StartReason.INITIAL, Duration.ZERO);
        }
        timer.scheduleWithFixedDelay(this::sweep, SWEEP_INTERVAL.toMillis(), SWEEP_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        log.info("Child pool starting {} child JVM(s); task types {}", properties.size(), taskTypes);
    }

    /** Plain stop cannot terminate children within a deadline; Spring calls {@link #stop(Runnable)}. */
    @Override
    public void stop() {
        throw new UnsupportedOperationException("Stop must be asynchronous: call stop(Runnable)");
    }

    /** Initiates the termination of every child against the children-stopped deadline, then calls back. */
    @Override
    public void stop(Runnable callback) {
        Deadline deadline = shutdownClock.deadlines().childrenStopped();
        synchronized (this) {
            stopping = true;
        }
        Thread.ofPlatform().name("quiesce-child-terminator").start(() -> {
            try {
                terminate(deadline);
            } finally {
                running = false;
                callback.run();
            }
        });
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Every child task type found by {@link ServiceLoader} on this JVM's class path. */
    public Set<String> taskTypes() {
        return taskTypes;
    }

    /** Children that can take a task now: 0 when degraded, stopping, or the pool has no children. */
    public synchronized int idle() {
        return !running || stopping || restarts.isDegraded() ? 0 : count(ChildState.IDLE);
    }

    public boolean isDegraded() {
        return restarts.isDegraded();
    }

    /** Crash restarts within the restart period (what degrades the pool). */
    public int recentRestarts() {
        return restarts.restartsInPeriod();
    }

    /** Runs a task on an idle child; {@code onEnd} is called exactly once, from a pool thread, and must not block. */
    public ChildTaskHandle run(ChildTaskRequest request, Consumer<ChildTaskOutcome> onEnd) {
        TaskRun run;
        synchronized (this) {
            if (idle() == 0) {
                throw new IllegalStateException("no idle child JVM" + (restarts.isDegraded() ? " (the child pool is degraded)" : ""));
            }
            // A child due for retirement serves only while its replacement starts and no other child is idle.
            ChildProcess child = children.stream().filter(c -> c.state == ChildState.IDLE)
                    .min(Comparator.comparing((ChildProcess c) -> c.retireDue)).orElseThrow();
            run = new TaskRun(request, child, onEnd, this);
            child.state = ChildState.BUSY;
            child.task = run;
        }
        run.timeout = timer.schedule(() -> timedOut(run), properties.taskTimeout().toMillis(), TimeUnit.MILLISECONDS);
        run.child.send(new Frame.Task(request.jobId(), request.attempt(), request.type(), request.payload()));
        return run;
    }

    public synchronized List<ChildView> children() {
        return children.stream().map(ChildProcess::view).sorted(Comparator.comparingInt(ChildView::id)).toList();
    }

    /** Clears "degraded" and refills the pool (manual resume). */
    public void resume() {
        synchronized (this) {
            if (!restarts.isDegraded()) {
                return;
            }
            restarts.reset();
            log.info("Child pool resumed");
            if (running && !stopping) {
                topUp(StartReason.CRASH, Duration.ZERO);
            }
        }
    }

    public TerminationResult lastTermination() {
        return lastTermination;
    }

    public int previousRunKilled() {
        return ledger.previousRunKilled();
    }

    public int adoptedKilled() {
        return subreaper.adoptedKilled();
    }

    public int zombiesReaped() {
        return subreaper.zombiesReaped();
    }

    // --- events from the children's reader threads ---

    @Override
    public void ready(ChildProcess child) {
        synchronized (this) {
            if (child.state != ChildState.STARTING) {
                return;
            }
            metrics.ready(Duration.ofNanos(System.nanoTime() - child.launchedNanos));
            child.state = ChildState.IDLE;
            children.stream().filter(c -> c.retireDue && !c.replacementReady).findFirst().ifPresent(due -> {
                due.replacementReady = true;
                if (due.state == ChildState.IDLE) {
                    retire(due);
                }
            });
        }
    }

    @Override
    public void taskEnded(ChildProcess child, Frame.Result result) {
        TaskRun run;
        synchronized (this) {
            run = child.task;
            child.task = null;
            restarts.taskCompleted();
            if (!child.retireDue && (child.tasksServed >= properties.maxTasksPerChild() || child.rssBytes > properties.maxRss().toBytes())) {
                child.retireDue = true;
                log.debug("{} retires after {} task(s), RSS {} bytes", child.name, child.tasksServed, child.rssBytes);
                topUp(StartReason.RECYCLE, Duration.ZERO);
            }
            if (child.replacementReady) {
                retire(child);
            } else if (child.state == ChildState.BUSY) {
                child.state = ChildState.IDLE;
            }
        }
        if (run != null && run.request.jobId() == result.jobId()) {
            if (run.timedOut) {
                run.end(Kind.TIMED_OUT, "task timed out after " + properties.taskTimeout() + " and was cancelled: " + result.text());
            } else {
                run.end(result.ok() ? Kind.SUCCEEDED : Kind.FAILED, result.text());
            }
        }
    }

    @Override
    public void broken(ChildProcess child, String reason) {
        log.warn("{}: {}; killing it", child.name, reason);
        synchronized (this) {
            child.failure = reason;
        }
        killTree(child);
    }

    @Override
    public void exited(ChildProcess child, int exitCode, List<String> stderrTail, Frame.Result result) {
        TaskRun run;
        String why = child.describeExit(exitCode, stderrTail);
        synchronized (this) {
            boolean retired = child.state == ChildState.RETIRING;
            children.remove(child);
            child.state = ChildState.EXITED;
            run = child.task;
            ledger.exited(child.pid);
            if (!stopping) {
                supervise(child, exitCode, why, retired, run != null);
            }
        }
        if (!stopping) {
            sweep(); // a dead child's escaped descendants are re-parented to us now
        }
        if (run != null) {
            if (result != null && result.jobId() == run.request.jobId()) {
                run.end(result.ok() ? Kind.SUCCEEDED : Kind.FAILED, result.text());
            } else if (stopping) {
                run.end(Kind.KILLED, "the child pool stopped while the task ran (" + why + ")");
            } else {
                run.end(Kind.CRASHED, child.failure == null ? why + " while running the task" : why);
            }
        }
    }

    // --- supervision (callers hold the lock) ---

    private void supervise(ChildProcess child, int exitCode, String why, boolean retired, boolean busy) {
        boolean crashed = child.endedAs == null && (!retired || exitCode != 0 || child.failure != null);
        metrics.exited(child.endedAs != null ? child.endedAs : crashed ? ChildExit.CRASHED : ChildExit.GRACEFUL);
        if (crashed) {
            log.warn("{} (pid {}) died while {}: {}", child.name, child.pid, busy ? "busy" : retired ? "retiring" : "idle", why);
        }
        if (child.replaceFor != null) {
            topUp(child.replaceFor, Duration.ZERO);
        } else if (!crashed) {
            topUp(StartReason.RECYCLE, Duration.ZERO);
        } else {
            restarts.crashed(System.nanoTime()).ifPresentOrElse(backoff -> topUp(StartReason.CRASH, backoff), () -> log.warn(
                    "Child pool DEGRADED: more than {} restart(s) within {}; no more restarts, child-routed jobs wait until resume",
                    properties.restartIntensity(), properties.restartPeriod()));
        }
    }

    /** Starts children until those serving (and those about to) number {@code size}. */
    private void topUp(StartReason reason, Duration delay) {
        if (!running || stopping || (restarts.isDegraded() && reason != StartReason.RECYCLE)) {
            return;
        }
        long serving = children.stream().filter(c -> !c.retireDue && c.state != ChildState.RETIRING).count();
        while (serving + pendingStarts < properties.size()) {
            pendingStarts++;
            timer.schedule(() -> launch(reason), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void launch(StartReason reason) {
        long launchedNanos = System.nanoTime();
        synchronized (this) {
            if (stopping) {
                pendingStarts--;
                return;
            }
            // Submitted under the lock: a launch is either ordered before the terminator's barrier or never made.
            launcher.launch().whenComplete((process, failure) -> launched(process, failure, reason, launchedNanos));
        }
    }

    private void launched(Process process, Throwable failure, StartReason reason, long launchedNanos) {
        ChildProcess child;
        synchronized (this) {
            pendingStarts--;
            if (failure != null) {
                log.error("Cannot start a child JVM: {}", failure.toString());
                restarts.crashed(System.nanoTime()).ifPresent(backoff -> topUp(StartReason.CRASH, backoff));
                return;
            }
            child = new ChildProcess(nextId.incrementAndGet(), process, launchedNanos, reason);
            children.add(child);
            metrics.started(reason);
            ledger.started(process.toHandle());
        }
        child.startReading(this);
    }

    private void retire(ChildProcess child) {
        child.state = ChildState.RETIRING;
        child.send(new Frame.Shutdown());
        child.closeStdin();
        timer.schedule(() -> {
            if (child.process.isAlive()) {
                log.warn("{} (pid {}) did not exit within {} of retiring; killing it", child.name, child.pid, RETIRE_TIMEOUT);
                killTree(child);
            }
        }, RETIRE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    // --- timeouts and kills ---

    private void timedOut(TaskRun run) {
        if (run.hasEnded()) {
            return;
        }
        run.timedOut = true;
        log.warn("Job {} on {} (pid {}) outran its timeout of {}; cancelling it", run.request.jobId(), run.child.name,
                run.child.pid, properties.taskTimeout());
        run.cancel();
        run.timeout = timer.schedule(() -> {
            // The outcome first: the kill makes the child's exit race to report the task as crashed.
            if (run.end(Kind.TIMED_OUT, "task timed out after " + properties.taskTimeout() + " and did not stop within "
                    + cancelGrace + " of its cancel; child pid " + run.child.pid + " killed")) {
                killTree(run.child, StartReason.TIMEOUT);
            }
        }, cancelGrace.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** {@link ChildTaskHandle#kill()}: KILLED is delivered from the timer thread, then the tree is killed. */
    void kill(TaskRun run) {
        timer.execute(() -> {
            if (run.end(Kind.KILLED, "killed with its child pid " + run.child.pid)) {
                killTree(run.child, StartReason.TIMEOUT);
            }
        });
    }

    private void killTree(ChildProcess child, StartReason replaceFor) {
        synchronized (this) {
            if (child.endedAs == null) {
                child.endedAs = ChildExit.KILLED;
                child.replaceFor = replaceFor;
            }
        }
        killTree(child);
    }

    /** SIGKILL to the child's tree, snapshotted first; its exit then arrives through the reader thread. */
    private void killTree(ChildProcess child) {
        ProcessTree tree = ProcessTree.snapshot(child.process.toHandle());
        tree.kill();
        subreaper.reapWhenDead(tree.descendantPids());
    }

    // --- termination ---

    private void terminate(Deadline deadline) {
        TerminationResult result = new ChildTerminator(launcher, subreaper).terminate(this::retireAll, deadline);
        result.children().forEach(end -> metrics.exited(end.how()));
        timer.shutdownNow();
        launcher.close();
        lastTermination = result;
        log.info("Child pool stopped: {}", result);
    }

    private synchronized List<ChildProcess> retireAll() {
        children.forEach(c -> c.state = ChildState.RETIRING);
        return List.copyOf(children);
    }

    private void sweep() {
        launcher.onLauncherThread(() -> {
            subreaper.sweep(launcher.launchedPids());
            return null;
        });
    }

    // --- views ---

    private synchronized int count(ChildState state) {
        return (int) children.stream().filter(c -> c.state == state).count();
    }

    private static Set<String> loadTaskTypes() {
        Set<String> types = new TreeSet<>();
        for (ChildTask task : ServiceLoader.load(ChildTask.class, ChildPool.class.getClassLoader())) {
            types.add(task.type());
        }
        return Set.copyOf(types);
    }
}

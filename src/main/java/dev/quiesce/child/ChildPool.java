package dev.quiesce.child;

import dev.quiesce.api.child.ChildTask;
import dev.quiesce.leak.LeakCheck;
import dev.quiesce.leak.LeakKind;
import dev.quiesce.leak.Leaks;
import dev.quiesce.shutdown.ChildrenAtShutdown;
import dev.quiesce.shutdown.Deadline;
import dev.quiesce.shutdown.ShutdownClock;
import dev.quiesce.shutdown.ShutdownPhases;
import dev.quiesce.shutdown.ShutdownReport;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Consumer;

/**
 * Keeps {@code quiesce.children.size} child JVMs started and runs one task at a time on each. The work is
 * split among package-private parts that share one lock, the {@link ChildRoster}'s: {@link ChildSupervisor}
 * replaces children that exit (with back-off, degrading the pool instead of crash-looping) and
 * {@link ChildRecycler} retires spent ones, replacement first; {@link ChildTasks} runs tasks and times them
 * out; {@link AdoptedSweep} kills what escapes dead children; {@link ChildTerminator} stops them all, their
 * descendants included, inside the child-stop deadline. This class is the Spring lifecycle and the API, and the
 * shutdown audit's check that no child JVM and no process of theirs outlived the pool.
 */
public class ChildPool implements SmartLifecycle, LeakCheck, ChildrenAtShutdown {

    private static final Logger log = LoggerFactory.getLogger(ChildPool.class);

    private final ChildProperties properties;
    private final ShutdownClock shutdownClock;
    private final ChildLedger ledger;
    private final Subreaper subreaper;
    private final ChildLauncher launcher;
    private final RestartPolicy restarts;
    private final ChildRoster roster = new ChildRoster();
    private final AdoptedSweep sweep;
    private final ChildTasks tasks;
    private final ChildSupervisor supervisor;
    private final ChildTerminator terminator;
    private final Set<String> taskTypes;
    private volatile TerminationResult lastTermination;

    public ChildPool(ChildProperties properties, Path dataDirectory, ShutdownClock shutdownClock, Duration cancelGrace,
                     MeterRegistry registry, Leaks leaks) {
        this(properties, dataDirectory, shutdownClock, cancelGrace, registry, leaks, ChildTaskSource.thisClassPath());
    }

    public ChildPool(ChildProperties properties, Path dataDirectory, ShutdownClock shutdownClock, Duration cancelGrace,
                     MeterRegistry registry, Leaks leaks, ChildTaskSource source) {
        this(properties, dataDirectory, shutdownClock, cancelGrace, registry, leaks, ChildCommand.CHILD_MAIN, source);
    }

    /** With another main class: tests run misbehaving children. */
    ChildPool(ChildProperties properties, Path dataDirectory, ShutdownClock shutdownClock, Duration cancelGrace,
              MeterRegistry registry, Leaks leaks, String mainClass) {
        this(properties, dataDirectory, shutdownClock, cancelGrace, registry, leaks, mainClass, ChildTaskSource.thisClassPath());
    }

    private ChildPool(ChildProperties properties, Path dataDirectory, ShutdownClock shutdownClock, Duration cancelGrace,
                      MeterRegistry registry, Leaks leaks, String mainClass, ChildTaskSource source) {
        this.properties = properties;
        this.shutdownClock = shutdownClock;
        this.ledger = new ChildLedger(dataDirectory, leaks);
        this.subreaper = new Subreaper(leaks);
        this.restarts = new RestartPolicy(properties.restartIntensity(), properties.restartPeriod());
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name("quiesce-child-timer").daemon(true).factory());
        // Every task schedules its timeout and cancels it when it ends: without this, each finished task
        // would leave a cancelled entry in the queue until its (long) delay passed.
        timer.setRemoveOnCancelPolicy(true);
        this.launcher = new ChildLauncher(ChildCommand.forThisJvm(properties, mainClass, dataDirectory, source));
        ChildMetrics metrics = new ChildMetrics(registry, roster::count, restarts::isDegraded);
        ChildKiller killer = new ChildKiller(roster, subreaper, leaks);
        this.sweep = new AdoptedSweep(launcher, subreaper, timer);
        this.tasks = new ChildTasks(properties.taskTimeout(), cancelGrace, roster, restarts, killer, timer);
        this.supervisor = new ChildSupervisor(properties, roster, launcher, ledger, restarts, metrics, killer, tasks, sweep, timer, leaks);
        this.terminator = new ChildTerminator(roster, launcher, subreaper, metrics, timer, leaks);
        this.taskTypes = loadTaskTypes(source);
    }

    @Override
    public int getPhase() {
        return ShutdownPhases.CHILDREN;
    }

    @Override
    public void start() {
        ledger.killPreviousRun(Duration.ofSeconds(5));
        if (properties.size() == 0) {
            roster.running(true);
            log.info("Child pool disabled (quiesce.children.size=0)");
            return;
        }
        // On the launcher thread, which runs it before the first launch: setting up the FFM calls costs ~0.2 s that
        // the main thread, busy starting the service, need not wait for (the subreaper flag is per process).
        launcher.onLauncherThread(subreaper::enable);
        roster.running(true);
        supervisor.fill();
        sweep.start();
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
        roster.stopping();
        Thread.ofPlatform().name("quiesce-child-terminator").daemon(true).start(() -> {
            try {
                lastTermination = terminator.terminate(deadline);
            } finally {
                roster.running(false);
                callback.run();
            }
        });
    }

    @Override
    public boolean isRunning() {
        return roster.isRunning();
    }

    /**
     * Every child task type found by {@link ServiceLoader} on this JVM's class path and the plugins' (the children's
     * class path holds the same tasks), less the fault tasks unless they are enabled.
     */
    public Set<String> taskTypes() {
        return taskTypes;
    }

    /** Children that can take a task now: 0 when degraded, stopping, or the pool has no children. */
    public int idle() {
        return tasks.idle();
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
        return tasks.run(request, onEnd);
    }

    public List<ChildView> children() {
        return roster.views();
    }

    /** Clears "degraded" and refills the pool (manual resume). */
    public void resume() {
        supervisor.resume();
    }

    public TerminationResult lastTermination() {
        return lastTermination;
    }

    @Override
    public ShutdownReport.Children childrenAtShutdown() {
        TerminationResult result = lastTermination;
        if (result == null) {
            return ShutdownReport.Children.NONE;
        }
        return new ShutdownReport.Children((int) result.count(ChildExit.GRACEFUL), (int) result.count(ChildExit.TERMINATED),
                (int) result.count(ChildExit.KILLED));
    }

    @Override
    public String name() {
        return "child processes";
    }

    /**
     * After termination: any child JVM this pool launched that is still our living child, and any process
     * adopted from one, is outstanding (the terminator already counted those it had to kill).
     */
    @Override
    public void check(Leaks leaks) {
        long self = ProcessHandle.current().pid();
        for (long pid : launcher.launchedPids()) {
            if (ProcStat.read(pid).filter(stat -> stat.ppid() == self && !stat.isZombie()).isPresent()) {
                ProcessHandle.of(pid).ifPresent(child -> leaks.detected(LeakKind.CHILD_PROCESS, pid,
                        "child JVM " + pid + " still alive after the pool stopped", child::isAlive));
            }
        }
        for (long pid : subreaper.adoptedAlive()) {
            ProcessHandle.of(pid).ifPresent(process -> leaks.detected(LeakKind.DESCENDANT_PROCESS, pid,
                    "process " + pid + " (" + process.info().commandLine().orElse("?") + ") escaped a child JVM and is still alive",
                    process::isAlive));
        }
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

    private static Set<String> loadTaskTypes(ChildTaskSource source) {
        Set<String> types = new TreeSet<>();
        for (ChildTask task : ServiceLoader.load(ChildTask.class, source.classLoader())) {
            if (source.offers(task)) {
                types.add(task.type());
            }
        }
        return Set.copyOf(types);
    }
}

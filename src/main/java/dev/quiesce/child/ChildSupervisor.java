package dev.quiesce.child;

import dev.quiesce.child.worker.Frame;
import dev.quiesce.leak.LeakKind;
import dev.quiesce.leak.Leaks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Keeps the pool's children serving, OTP-style. It hears every child's events and replaces a child that
 * exited: at once after a retirement or a kill the pool decided, after an exponential back-off after a crash,
 * until more than {@code restart-intensity} crashes within {@code restart-period} degrade the pool (health
 * DOWN, no child-routed job claimed) instead of letting it crash-loop; {@link #resume()} clears that.
 */
final class ChildSupervisor implements ChildProcess.Events {

    private static final Logger log = LoggerFactory.getLogger(ChildSupervisor.class);

    private final ChildProperties properties;
    private final ChildRoster roster;
    private final ChildLedger ledger;
    private final RestartPolicy restarts;
    private final ChildMetrics metrics;
    private final ChildKiller killer;
    private final ChildTasks tasks;
    private final AdoptedSweep sweep;
    private final ChildStarter starter;
    private final ChildRecycler recycler;
    private final Leaks leaks;

    ChildSupervisor(ChildProperties properties, ChildRoster roster, ChildLauncher launcher, ChildLedger ledger,
                    RestartPolicy restarts, ChildMetrics metrics, ChildKiller killer, ChildTasks tasks, AdoptedSweep sweep,
                    ScheduledExecutorService timer, Leaks leaks) {
        this.leaks = leaks;
        this.properties = properties;
        this.roster = roster;
        this.ledger = ledger;
        this.restarts = restarts;
        this.metrics = metrics;
        this.killer = killer;
        this.tasks = tasks;
        this.sweep = sweep;
        // The children it starts report to it, so it builds its starter (and the recycler that uses it).
        this.starter = new ChildStarter(properties.size(), roster, launcher, ledger, restarts, metrics, timer, this);
        this.recycler = new ChildRecycler(properties, roster, starter, killer, timer);
    }

    /** Starts the pool's first children. */
    void fill() {
        starter.topUp(StartReason.INITIAL, Duration.ZERO);
    }

    /** Clears "degraded" and refills the pool (manual resume). */
    void resume() {
        synchronized (roster) {
            if (!restarts.isDegraded()) {
                return;
            }
            restarts.reset();
            log.info("Child pool resumed");
            starter.topUp(StartReason.CRASH, Duration.ZERO);
        }
    }

    @Override
    public void ready(ChildProcess child) {
        synchronized (roster) {
            if (!child.lifecycle.ready()) {
                return; // the pool began stopping first (the terminator has it), or a repeated Hello
            }
            metrics.ready(Duration.ofNanos(System.nanoTime() - child.launchedNanos));
            recycler.replacementReady();
        }
    }

    @Override
    public void taskEnded(ChildProcess child, Frame.Result result) {
        TaskRun run;
        synchronized (roster) {
            run = child.lifecycle.taskEnded();
            restarts.taskCompleted();
            recycler.afterTask(child);
        }
        tasks.resultArrived(run, result);
    }

    @Override
    public void cleanedUp(ChildProcess child, long jobId, int leftoversKilled, int zombiesReaped) {
        leaks.reclaimed(LeakKind.DESCENDANT_PROCESS, leftoversKilled,
                "process(es) left behind by job " + jobId + " on " + child.name + ", killed by the child");
        leaks.reclaimed(LeakKind.ZOMBIE, zombiesReaped, "zombie(s) left by job " + jobId + " on " + child.name + ", reaped by the child");
    }

    @Override
    public void broken(ChildProcess child, String reason) {
        log.warn("{}: {}; killing it", child.name, reason);
        synchronized (roster) {
            child.lifecycle.broke(reason);
        }
        killer.killTree(child);
    }

    @Override
    public void exited(ChildProcess child, int exitCode, List<String> stderrTail, Frame.Result result) {
        ChildLifecycle.Ending ending;
        boolean stopping;
        String why = child.describeExit(exitCode, stderrTail);
        synchronized (roster) {
            roster.remove(child);
            ending = child.lifecycle.exited(exitCode);
            stopping = roster.isStopping();
            ledger.exited(child.pid);
            if (!stopping) {
                replace(child, ending, why);
            }
        }
        if (!stopping) {
            sweep.now(); // a dead child's escaped descendants are re-parented to us now
        }
        if (ending.task() != null) {
            tasks.childGone(ending.task(), result, why, ending.failure(), stopping);
        }
    }

    /** Counts how the child ended and starts its replacement; a crash counts toward degrading the pool. */
    private void replace(ChildProcess child, ChildLifecycle.Ending ending, String why) {
        metrics.exited(ending.how());
        if (ending.how() != ChildExit.CRASHED) {
            starter.topUp(ending.replacement(), Duration.ZERO);
            return;
        }
        log.warn("{} (pid {}) died while {}: {}", child.name, child.pid, ending.doing(), why);
        restarts.crashed(System.nanoTime()).ifPresentOrElse(backoff -> starter.topUp(ending.replacement(), backoff), () -> log.warn(
                "Child pool DEGRADED: more than {} restart(s) within {}; no more restarts, child-routed jobs wait until resume",
                properties.restartIntensity(), properties.restartPeriod()));
    }
}

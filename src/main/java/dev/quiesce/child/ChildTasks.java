package dev.quiesce.child;

import dev.quiesce.child.ChildTaskOutcome.Kind;
import dev.quiesce.child.worker.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one task at a time on each idle child and delivers each task's single outcome, whichever comes first:
 * its Result frame, its child's death, its timeout or a kill ({@link TaskRun#end}). A task past
 * {@code task-timeout} is cancelled; if it still runs {@code cancel-grace} later, its child is killed and
 * replaced.
 */
final class ChildTasks {

    private static final Logger log = LoggerFactory.getLogger(ChildTasks.class);

    private final Duration taskTimeout;
    private final Duration cancelGrace;
    private final ChildRoster roster;
    private final RestartPolicy restarts;
    private final ChildKiller killer;
    private final ScheduledExecutorService timer;

    ChildTasks(Duration taskTimeout, Duration cancelGrace, ChildRoster roster, RestartPolicy restarts, ChildKiller killer,
               ScheduledExecutorService timer) {
        this.taskTimeout = taskTimeout;
        this.cancelGrace = cancelGrace;
        this.roster = roster;
        this.restarts = restarts;
        this.killer = killer;
        this.timer = timer;
    }

    /** Children that can take a task now: 0 when degraded, stopping, or the pool has no children. */
    int idle() {
        synchronized (roster) {
            return !roster.isOpen() || restarts.isDegraded() ? 0 : roster.count(ChildState.IDLE);
        }
    }

    /** Hands the task to an idle child; {@code onEnd} is called exactly once, from a pool thread. */
    ChildTaskHandle run(ChildTaskRequest request, Consumer<ChildTaskOutcome> onEnd) {
        TaskRun run;
        synchronized (roster) {
            if (idle() == 0) {
                throw new IllegalStateException("no idle child JVM" + (restarts.isDegraded() ? " (the child pool is degraded)" : ""));
            }
            // A child due for retirement serves only while its replacement starts and no other child is idle.
            ChildProcess child = roster.nextIdle().orElseThrow();
            run = new TaskRun(request, child, onEnd, this);
            child.lifecycle.assign(run);
        }
        run.timeout = timer.schedule(() -> timedOut(run), taskTimeout.toMillis(), TimeUnit.MILLISECONDS);
        run.child.send(new Frame.Task(request.jobId(), request.attempt(), request.type(), request.payload()));
        return run;
    }

    /** {@link ChildTaskHandle#kill()}: KILLED is delivered from the timer thread, then the tree is killed. */
    void kill(TaskRun run) {
        timer.execute(() -> {
            if (run.end(Kind.KILLED, "killed with its child pid " + run.child.pid)) {
                killer.kill(run.child, StartReason.TIMEOUT);
            }
        });
    }

    /** The task's Result frame arrived (with the Stats frame that follows it). */
    void resultArrived(TaskRun run, Frame.Result result) {
        if (run == null || run.request.jobId() != result.jobId()) {
            return;
        }
        if (run.timedOut) {
            run.end(Kind.TIMED_OUT, "task timed out after " + taskTimeout + " and was cancelled: " + result.text());
        } else {
            run.end(result.ok() ? Kind.SUCCEEDED : Kind.FAILED, result.text());
        }
    }

    /**
     * The child running the task is gone. {@code result} is a Result frame whose Stats never came (the task
     * did finish), else null; {@code why} says how the child ended and {@code failure} whether the pool broke
     * it off (a protocol error).
     */
    void childGone(TaskRun run, Frame.Result result, String why, String failure, boolean stopping) {
        if (result != null && result.jobId() == run.request.jobId()) {
            run.end(result.ok() ? Kind.SUCCEEDED : Kind.FAILED, result.text());
        } else if (stopping) {
            run.end(Kind.KILLED, "the child pool stopped while the task ran (" + why + ")");
        } else {
            run.end(Kind.CRASHED, failure == null ? why + " while running the task" : why);
        }
    }

    private void timedOut(TaskRun run) {
        if (run.hasEnded()) {
            return;
        }
        run.timedOut = true;
        log.warn("Job {} on {} (pid {}) outran its timeout of {}; cancelling it", run.request.jobId(), run.child.name,
                run.child.pid, taskTimeout);
        run.cancel();
        run.timeout = timer.schedule(() -> {
            // The outcome first: the kill makes the child's exit race to report the task as crashed.
            if (run.end(Kind.TIMED_OUT, "task timed out after " + taskTimeout + " and did not stop within "
                    + cancelGrace + " of its cancel; child pid " + run.child.pid + " killed")) {
                killer.kill(run.child, StartReason.TIMEOUT);
            }
        }, cancelGrace.toMillis(), TimeUnit.MILLISECONDS);
    }
}

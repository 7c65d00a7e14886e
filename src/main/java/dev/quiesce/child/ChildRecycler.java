package dev.quiesce.child;

import dev.quiesce.child.worker.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Recycles a child after {@code max-tasks-per-child} tasks or above {@code max-rss} without letting capacity
 * dip: the child is only marked due and its replacement started; it retires (a Shutdown frame, then the end
 * of stdin) once that replacement is ready and it is not busy, and is killed if it has not exited
 * {@link #RETIRE_TIMEOUT} later. Callers hold the roster's lock.
 */
final class ChildRecycler {

    private static final Logger log = LoggerFactory.getLogger(ChildRecycler.class);
    private static final Duration RETIRE_TIMEOUT = Duration.ofSeconds(10);

    private final int maxTasksPerChild;
    private final long maxRssBytes;
    private final ChildRoster roster;
    private final ChildStarter starter;
    private final ChildKiller killer;
    private final ScheduledExecutorService timer;

    ChildRecycler(ChildProperties properties, ChildRoster roster, ChildStarter starter, ChildKiller killer,
                  ScheduledExecutorService timer) {
        this.maxTasksPerChild = properties.maxTasksPerChild();
        this.maxRssBytes = properties.maxRss().toBytes();
        this.roster = roster;
        this.starter = starter;
        this.killer = killer;
        this.timer = timer;
    }

    /**
     * After a task, once the child is idle again: a spent child becomes due and its replacement is started; a
     * child whose replacement is ready retires now. A child the pool began stopping is the terminator's.
     */
    void afterTask(ChildProcess child) {
        ChildLifecycle lifecycle = child.lifecycle;
        if (lifecycle.state() != ChildState.IDLE) {
            return;
        }
        if (!lifecycle.isDue() && (child.tasksServed >= maxTasksPerChild || child.rssBytes > maxRssBytes)) {
            lifecycle.markDue();
            log.debug("{} retires after {} task(s), RSS {} bytes", child.name, child.tasksServed, child.rssBytes);
            starter.topUp(StartReason.RECYCLE, Duration.ZERO);
        }
        if (lifecycle.mayRetire()) {
            retire(child);
        }
    }

    /** A new child is ready: it replaces the first child due without a replacement, which retires now if idle. */
    void replacementReady() {
        roster.dueWithoutReplacement().ifPresent(due -> {
            due.lifecycle.replacementReady();
            if (due.lifecycle.mayRetire()) {
                retire(due);
            }
        });
    }

    private void retire(ChildProcess child) {
        child.lifecycle.retire();
        child.send(new Frame.Shutdown());
        child.closeStdin();
        timer.schedule(() -> {
            if (child.process.isAlive()) {
                log.warn("{} (pid {}) did not exit within {} of retiring; killing it", child.name, child.pid, RETIRE_TIMEOUT);
                killer.killTree(child);
            }
        }, RETIRE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
}

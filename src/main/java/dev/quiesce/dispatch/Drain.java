package dev.quiesce.dispatch;

import dev.quiesce.job.Job;
import dev.quiesce.queue.JobQueue.Outcome;
import dev.quiesce.shutdown.Deadline;
import dev.quiesce.shutdown.ShutdownDeadlines;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The dispatcher's part of a stop (DESIGN §4, step 1), read top to bottom in {@link #run()}: take no more work
 * and hand back what was claimed but never started; let running jobs finish until the drain deadline; cancel
 * what still runs and wait the cancel grace; hand back what ignored cancellation (worse to lose a job than to
 * run it twice) and abandon its thread; write the last outcomes until the flush deadline. Every wait is against
 * the one shutdown's deadlines, and none is a database call: outcomes and hand-backs go through the
 * {@link QueueExchange}, so a database that stops answering cannot hold the stop past its deadline — what it
 * did not write is counted as not written, or not handed back.
 * <p>
 * The drain owns its counters: {@code cancelled} and {@code abandoned} are written on its own thread only, and
 * what was written meanwhile is read from the exchange's tallies.
 */
final class Drain {

    private static final Logger log = LoggerFactory.getLogger(Drain.class);
    private static final long CHECK_NANOS = 2_000_000L;

    private final ShutdownDeadlines deadlines;
    private final Map<Long, Execution> running;
    private final Collection<Backlog> backlogs;
    private final QueueExchange exchange;
    private final int writtenBefore;
    private final int handedBackBefore;
    private int cancelled;
    private int abandoned;

    Drain(ShutdownDeadlines deadlines, Map<Long, Execution> running, Collection<Backlog> backlogs, QueueExchange exchange) {
        this.deadlines = deadlines;
        this.running = running;
        this.backlogs = backlogs;
        this.exchange = exchange;
        QueueExchange.Tally before = exchange.tally();
        this.writtenBefore = before.writtenFinished();
        this.handedBackBefore = before.writtenHandBacks();
    }

    /** Runs the steps; returns once the outcomes are written or the flush deadline has passed. */
    void run() {
        log.info("Draining {} running job(s); cancelling at the drain deadline in {} ms", running.size(),
                deadlines.drainEnds().remaining().toMillis());
        exchange.claiming(false);
        handBackUnstarted();
        if (!awaitUntil(this::nothingRuns, deadlines.drainEnds())) {
            cancelRunning();
            if (!awaitUntil(this::nothingRuns, deadlines.cancelEnds())) {
                handBackStragglers();
            }
        }
        awaitUntil(exchange::isIdle, flushEnds());
    }

    /**
     * After the cancel deadline, how long the last outcomes may take to be written: half the margin, so the
     * phase still ends inside its timeout (the dispatch slice plus the margin).
     */
    Deadline flushEnds() {
        return deadlines.cancelEnds().plus(margin().dividedBy(2));
    }

    /** How long the last database call of the stop (marking this instance STOPPED) may take: a quarter margin more. */
    Deadline deregisterEnds() {
        Deadline flushEnds = flushEnds();
        Deadline from = flushEnds.hasPassed() ? Deadline.after(Duration.ZERO) : flushEnds;
        return from.plus(margin().dividedBy(4));
    }

    private Duration margin() {
        return Duration.ofNanos(deadlines.exit().nanoTime() - deadlines.childrenStopped().nanoTime());
    }

    /** Claimed ahead of a free runner, never started: back to the queue first, attempt refunded. */
    private void handBackUnstarted() {
        List<Job> unstarted = Backlog.closeAll(backlogs);
        if (!unstarted.isEmpty()) {
            log.info("Handing back {} claimed job(s) that had not started", unstarted.size());
            exchange.returnUnstarted(unstarted);
        }
    }

    private void cancelRunning() {
        for (Execution execution : running.values()) {
            if (execution.cancel(CancelReason.SHUTDOWN)) {
                cancelled++;
            }
        }
        log.warn("Drain deadline reached: cancelled {} job(s) still running {}", cancelled, running.keySet());
    }

    /**
     * Hands back every job still running after the cancel grace, before giving up on its thread. The threads are
     * abandoned (named in the log); whatever they end with is ignored.
     */
    private void handBackStragglers() {
        List<Execution> stragglers = List.copyOf(running.values());
        for (Execution execution : stragglers) {
            execution.abandon();
            execution.runner().abandon(execution);
            running.remove(execution.id(), execution);
            Thread thread = execution.thread();
            log.warn("Job {} ({}) ignored cancellation on {}: releasing it and abandoning its {}", execution.id(),
                    execution.job().type(), thread == null ? execution.runner().name() : "thread " + thread.getName(),
                    execution.runner().name());
            exchange.handBack(execution.job(), new Outcome.Released(execution.id()));
        }
        abandoned += stragglers.size();
    }

    /**
     * The result: outcomes still unwritten in the exchange were not written; hand-backs still unwritten were not
     * handed back (their leases expire, and they run again). Stops the exchange.
     */
    DrainResult conclude() {
        QueueExchange.Tally tally = exchange.stop();
        if (!running.isEmpty()) {
            // Only when the exchange never wrote the stragglers' hand-backs: left leased.
            log.error("Left {} running job(s) leased and unreleased at the stop's deadline: {}", running.size(), running.keySet());
        }
        int notHandedBack = tally.unwrittenHandBacks() + running.size();
        running.clear();
        int notWritten = tally.unwrittenOutcomes();
        if (notWritten > 0) {
            log.error("Could not write the outcomes of {} finished job(s) in time; they stay leased until their lease"
                    + " expires, then run again", notWritten);
        }
        long took = System.nanoTime() - deadlines.start().nanoTime();
        return new DrainResult(tally.writtenFinished() - writtenBefore, cancelled,
                tally.writtenHandBacks() - handedBackBefore, abandoned, notHandedBack, notWritten,
                Duration.ofNanos(Math.max(0, took)));
    }

    private boolean nothingRuns() {
        return running.isEmpty();
    }

    /** Waits until {@code done} holds or {@code deadline} passes; true if it holds. */
    private static boolean awaitUntil(BooleanSupplier done, Deadline deadline) {
        while (!done.getAsBoolean()) {
            long left = deadline.remainingNanos();
            if (left <= 0) {
                return false;
            }
            LockSupport.parkNanos(Math.min(left, CHECK_NANOS));
        }
        return true;
    }
}

package dev.quiesce.dispatch;

import dev.quiesce.job.Job;
import dev.quiesce.queue.JobQueue;
import dev.quiesce.queue.JobQueue.ClaimRequest;
import dev.quiesce.queue.JobQueue.Exchange;
import dev.quiesce.queue.JobQueue.Outcome;
import dev.quiesce.queue.JobQueue.Settlement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one thread that talks to the queue on the hot path: each round writes the outcomes that piled up since
 * the last one and claims what the runners can take next, in one transaction ({@link JobQueue#exchange}). A
 * busy instance thus pays one commit per batch of jobs, not two per job, and the batch grows by itself with the
 * database's latency. A runner is asked for jobs only if its types may have ready ones: an enqueue, a claim
 * that came back full, or the poll interval says so — so an idle instance does not query the queue in a loop.
 * A failed round is retried with the same outcomes; a job stays leased here until its outcome is written
 * ({@link #pendingIds()} are heartbeated).
 */
final class QueueExchange {

    private static final Logger log = LoggerFactory.getLogger(QueueExchange.class);
    private static final int MAX_OUTCOMES = 1000;
    private static final long RETRY_NANOS = 500_000_000L;

    /** A runner as the exchange sees it: what it takes, how many more jobs it wants now, where claims go. */
    interface Taker {
        Set<String> types();

        /** How many jobs to claim for it now (free slots plus prefetch, minus its backlog). */
        int wanted();

        /** Takes the claimed jobs (on the exchange's thread). */
        void claimed(List<Job> jobs);
    }

    /** Told of every written or fenced outcome, on the exchange's thread. */
    interface Listener {
        void settled(String type, Settlement settlement, long nanos);
    }

    private record Pending(Outcome outcome, String type, long nanos) {
        boolean isHandBack() {
            return outcome instanceof Outcome.Released || outcome instanceof Outcome.Returned;
        }
    }

    private final JobQueue queue;
    private final String owner;
    private final List<Taker> takers;
    private final List<AtomicBoolean> hints = new ArrayList<>();
    private final Listener listener;
    private final Runnable afterRound;
    private final long pollNanos;
    private final JobMetrics metrics;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final Set<Long> pendingIds = new HashSet<>();
    private boolean woken;
    private boolean writing;
    /** Submitted and not written yet (pending or in the round under way), by kind. */
    private int unwrittenOutcomes;
    private int unwrittenHandBacks;
    /** Written so far, by kind (fenced ones not counted). */
    private int writtenFinished;
    private int writtenHandBacks;
    private volatile boolean claiming;
    private volatile boolean stopped;

    private final Thread thread;

    QueueExchange(JobQueue queue, String owner, List<Taker> takers, Listener listener, Runnable afterRound,
                  long pollNanos, JobMetrics metrics) {
        this.queue = queue;
        this.owner = owner;
        this.takers = List.copyOf(takers);
        takers.forEach(taker -> hints.add(new AtomicBoolean(true)));
        this.listener = listener;
        this.afterRound = afterRound;
        this.pollNanos = pollNanos;
        this.metrics = metrics;
        this.thread = Thread.ofPlatform().name("quiesce-queue").daemon(true).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** Whether rounds may claim (the instance is running, not quiet nor stopping). */
    void claiming(boolean claiming) {
        this.claiming = claiming;
        if (claiming) {
            hintWork();
        }
    }

    /** Something may be ready for every runner (an enqueue here or elsewhere, a resume). */
    void hintWork() {
        hints.forEach(hint -> hint.set(true));
        wake();
    }

    /** A runner freed up, or anything else that may change what a round would do. */
    void wake() {
        lock.lock();
        try {
            woken = true;
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Queues the outcome of a finished execution to be written. */
    void submit(Finished done) {
        add(new Pending(done.outcome(), done.execution().job().type(), done.nanos()));
    }

    /** Queues the hand-back of a job: {@link Outcome.Released} (it ran) or {@link Outcome.Returned} (it never started). */
    void handBack(Job job, Outcome outcome) {
        add(new Pending(outcome, job.type(), 0));
    }

    /** Queues the hand-back of claimed jobs that never started here ({@link Outcome.Returned}). */
    void returnUnstarted(List<Job> jobs) {
        jobs.forEach(job -> handBack(job, new Outcome.Returned(job.id())));
    }

    private void add(Pending item) {
        lock.lock();
        try {
            pending.add(item);
            pendingIds.add(item.outcome().id());
            if (item.isHandBack()) {
                unwrittenHandBacks++;
            } else {
                unwrittenOutcomes++;
            }
            woken = true;
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Adds the ids whose outcome is not written yet: they are still leased here. */
    void addPendingIdsTo(Set<Long> ids) {
        lock.lock();
        try {
            ids.addAll(pendingIds);
        } finally {
            lock.unlock();
        }
    }

    /** Nothing submitted is still unwritten, and no round is under way. */
    boolean isIdle() {
        lock.lock();
        try {
            return pending.isEmpty() && !writing;
        } finally {
            lock.unlock();
        }
    }

    /** What was written so far and what is not written yet, at one moment. */
    Tally tally() {
        lock.lock();
        try {
            return new Tally(writtenFinished, writtenHandBacks, unwrittenOutcomes, unwrittenHandBacks);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the thread and tells what it wrote and what it leaves unwritten. A round under way may still commit
     * after this; it is counted as not written (it may run again: never lost).
     */
    Tally stop() {
        lock.lock();
        try {
            stopped = true;
            thread.interrupt();
            return tally();
        } finally {
            lock.unlock();
        }
    }

    /**
     * @param writtenFinished    outcomes of finished jobs written (fenced ones excluded)
     * @param writtenHandBacks   hand-backs (released or returned) written
     * @param unwrittenOutcomes  outcomes submitted and not written yet
     * @param unwrittenHandBacks hand-backs submitted and not written yet
     */
    record Tally(int writtenFinished, int writtenHandBacks, int unwrittenOutcomes, int unwrittenHandBacks) {
    }

    private void run() {
        long nextPoll = System.nanoTime();
        List<Pending> batch = new ArrayList<>();
        try {
            while (!stopped) {
                awaitWork(nextPoll);
                long now = System.nanoTime();
                boolean pollDue = now - nextPoll >= 0;
                if (pollDue) {
                    nextPoll = now + pollNanos;
                }
                List<ClaimRequest> claims = claims(pollDue);
                takeBatch(batch);
                if (!batch.isEmpty() || claims.stream().anyMatch(claim -> claim.max() > 0)) {
                    round(batch, claims);
                }
                batch.clear();
            }
        } catch (InterruptedException e) {
            // Stopped by the drain; what is left unwritten is counted there.
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until there are outcomes to write, a wake-up, or the poll is due. */
    private void awaitWork(long nextPoll) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (pending.isEmpty() && !woken && !stopped) {
                long left = nextPoll - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                changed.awaitNanos(left);
            }
            woken = false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * What to claim for each runner now: as many as it wants, if its types may have ready jobs (the hint, taken
     * here, or the poll being due). A runner asked for nothing keeps its hint for a later round.
     */
    private List<ClaimRequest> claims(boolean pollDue) {
        List<ClaimRequest> claims = new ArrayList<>(takers.size());
        for (int i = 0; i < takers.size(); i++) {
            Taker taker = takers.get(i);
            int wanted = claiming && !taker.types().isEmpty() ? taker.wanted() : 0;
            boolean mayHaveWork = hints.get(i).get() || pollDue;
            if (wanted > 0 && mayHaveWork) {
                hints.get(i).set(false);
                claims.add(new ClaimRequest(taker.types(), wanted));
            } else {
                claims.add(new ClaimRequest(taker.types(), 0));
            }
        }
        return claims;
    }

    /** Moves up to {@link #MAX_OUTCOMES} pending outcomes into {@code batch}; they count as being written. */
    private void takeBatch(List<Pending> batch) {
        lock.lock();
        try {
            for (int i = 0; i < MAX_OUTCOMES && !pending.isEmpty(); i++) {
                batch.add(pending.poll());
            }
            writing = !batch.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    private void round(List<Pending> batch, List<ClaimRequest> claims) throws InterruptedException {
        List<Outcome> outcomes = batch.stream().map(Pending::outcome).toList();
        Exchange exchange;
        while (true) {
            long started = System.nanoTime();
            try {
                exchange = queue.exchange(owner, outcomes, claims);
                if (claims.stream().anyMatch(claim -> claim.max() > 0)) {
                    metrics.claimTook(System.nanoTime() - started);
                }
                break;
            } catch (RuntimeException e) {
                log.warn("Could not write {} job outcome(s) and claim, retrying in {} ms: {}", outcomes.size(),
                        RETRY_NANOS / 1_000_000, e.toString());
                // The claims are given up (the hints come back); the outcomes are written again.
                for (int i = 0; i < claims.size(); i++) {
                    if (claims.get(i).max() > 0) {
                        hints.get(i).set(true);
                    }
                }
                claims = claims.stream().map(claim -> new ClaimRequest(claim.types(), 0)).toList();
                Thread.sleep(RETRY_NANOS / 1_000_000);
                if (outcomes.isEmpty()) {
                    return;
                }
                if (stopped) {
                    throw new InterruptedException("stopped while retrying");
                }
            }
        }
        settled(batch, exchange.settlements());
        for (int i = 0; i < claims.size(); i++) {
            List<Job> jobs = exchange.claimed().get(i);
            if (claims.get(i).max() > 0 && jobs.size() == claims.get(i).max()) {
                // There may be more: ask again as soon as this runner wants more.
                hints.get(i).set(true);
            }
            if (!jobs.isEmpty()) {
                takers.get(i).claimed(jobs);
            }
        }
        afterRound.run();
    }

    private void settled(List<Pending> batch, List<Settlement> settlements) {
        for (int i = 0; i < settlements.size(); i++) {
            listener.settled(batch.get(i).type(), settlements.get(i), batch.get(i).nanos());
        }
        lock.lock();
        try {
            if (stopped) {
                return;
            }
            for (int i = 0; i < batch.size(); i++) {
                Pending item = batch.get(i);
                pendingIds.remove(item.outcome().id());
                boolean written = !settlements.get(i).fenced();
                if (item.isHandBack()) {
                    unwrittenHandBacks--;
                    writtenHandBacks += written ? 1 : 0;
                } else {
                    unwrittenOutcomes--;
                    writtenFinished += written ? 1 : 0;
                }
            }
            writing = false;
        } finally {
            lock.unlock();
        }
    }
}

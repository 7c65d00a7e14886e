package dev.quiesce.dispatch;

import dev.quiesce.queue.JobQueue;
import dev.quiesce.queue.JobQueue.Outcome;
import dev.quiesce.queue.JobQueue.Settlement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * Writes the outcomes of finished executions on its own thread, as many per transaction as have piled up, so
 * that claiming the next jobs never waits for the previous ones' commit (a durable commit costs an fsync).
 * A job stays leased to this instance until its outcome is written: the dispatcher keeps heartbeating the
 * ids still {@link #pendingIds() pending} here. A failed write is retried with the same outcomes.
 */
final class Settler {

    private static final Logger log = LoggerFactory.getLogger(Settler.class);
    private static final int MAX_BATCH = 1000;
    private static final long RETRY_MILLIS = 500;

    private final JobQueue queue;
    private final String owner;
    private final BiConsumer<Finished, Settlement> onSettled;
    private final Runnable afterBatch;
    private final LinkedBlockingQueue<Finished> pending = new LinkedBlockingQueue<>();
    private final Set<Long> pendingIds = ConcurrentHashMap.newKeySet();
    private final AtomicInteger outstanding = new AtomicInteger();
    private final Thread thread;

    /**
     * @param onSettled  called on this thread for each written (or fenced) outcome
     * @param afterBatch called on this thread after each batch, e.g. to wake the dispatcher
     */
    Settler(JobQueue queue, String owner, BiConsumer<Finished, Settlement> onSettled, Runnable afterBatch) {
        this.queue = queue;
        this.owner = owner;
        this.onSettled = onSettled;
        this.afterBatch = afterBatch;
        this.thread = Thread.ofPlatform().name("quiesce-settler").daemon(true).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    void submit(Finished finished) {
        outstanding.incrementAndGet();
        pendingIds.add(finished.execution().id());
        pending.add(finished);
    }

    /** Nothing submitted is still unwritten. */
    boolean isIdle() {
        return outstanding.get() == 0;
    }

    int outstanding() {
        return outstanding.get();
    }

    /** Jobs finished here whose outcome is not written yet: their leases must still be extended. */
    Set<Long> pendingIds() {
        return pendingIds;
    }

    /** Stops the thread; whatever is still unwritten stays so (the caller counts {@link #outstanding()}). */
    void stop() {
        thread.interrupt();
    }

    private void run() {
        List<Finished> batch = new ArrayList<>();
        try {
            while (true) {
                batch.add(pending.take());
                pending.drainTo(batch, MAX_BATCH - 1);
                write(batch);
                batch.clear();
            }
        } catch (InterruptedException e) {
            // Stopped by the dispatcher at the end of its stop; the unwritten outcomes are counted there.
            Thread.currentThread().interrupt();
        }
    }

    private void write(List<Finished> batch) throws InterruptedException {
        List<Outcome> outcomes = batch.stream().map(Finished::outcome).toList();
        while (true) {
            try {
                List<Settlement> settlements = queue.settle(owner, outcomes);
                for (int i = 0; i < settlements.size(); i++) {
                    onSettled.accept(batch.get(i), settlements.get(i));
                }
                break;
            } catch (RuntimeException e) {
                log.warn("Could not write {} job outcome(s), retrying in {} ms: {}", batch.size(), RETRY_MILLIS, e.toString());
                Thread.sleep(RETRY_MILLIS);
            }
        }
        for (Finished done : batch) {
            pendingIds.remove(done.execution().id());
        }
        outstanding.addAndGet(-batch.size());
        afterBatch.run();
    }
}

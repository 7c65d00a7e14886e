package dev.quiesce.dispatch;

import dev.quiesce.job.Job;
import dev.quiesce.queue.JobQueue.Outcome;

import java.util.concurrent.atomic.AtomicReference;

/** One running attempt of a job in this JVM: what the dispatcher tracks between claim and settlement. */
final class Execution {

    private final Job job;
    private final JobRunner runner;
    private final long startNanos = System.nanoTime();
    private final AtomicReference<CancelReason> cancelReason = new AtomicReference<>();
    private Thread thread;
    private Runnable canceller;
    private volatile boolean abandoned;
    private volatile double progress;
    private volatile boolean reported;
    private volatile String where;

    Execution(Job job, JobRunner runner) {
        this.job = job;
        this.runner = runner;
    }

    JobRunner runner() {
        return runner;
    }

    Job job() {
        return job;
    }

    long id() {
        return job.id();
    }

    long startNanos() {
        return startNanos;
    }

    /** What an in-process job last reported through its context, in [0, 1]; child tasks report none (0). */
    double progress() {
        return progress;
    }

    void progress(double fraction) {
        progress = Math.clamp(fraction, 0.0, 1.0);
        reported = true;
    }

    /** What the job reported, or null if it never did (the console shows no bar then). */
    Double reportedProgress() {
        return reported ? progress : null;
    }

    /** Where it runs: {@code thread <name>} or {@code child pid <pid>}; null until a runner said. */
    String where() {
        return where;
    }

    void where(String where) {
        this.where = where;
    }

    CancelReason cancelReason() {
        return cancelReason.get();
    }

    boolean isCancelled() {
        return cancelReason.get() != null;
    }

    /**
     * Records the first reason only and interrupts the running thread; later calls change nothing.
     * Synchronized with {@link #finishedRunning()} so that an interrupt can never land on the pool thread
     * after it moved on to another job.
     */
    synchronized boolean cancel(CancelReason reason) {
        if (!cancelReason.compareAndSet(null, reason)) {
            return false;
        }
        if (thread != null) {
            thread.interrupt();
        }
        if (canceller != null) {
            canceller.run();
        }
        return true;
    }

    /** For an execution outside this JVM: how to ask it to stop (runs at once if it was already cancelled). */
    synchronized void cancelledBy(Runnable canceller) {
        this.canceller = canceller;
        if (cancelReason.get() != null) {
            canceller.run();
        }
    }

    /**
     * What a failed run is written as: after a cancellation it is the cancellation's doing, whatever the job
     * reported — cancelled for a client, handed back at shutdown, discarded (null) after a lost lease.
     */
    Outcome failed(Outcome failure) {
        CancelReason reason = cancelReason.get();
        if (reason == null) {
            return failure;
        }
        return switch (reason) {
            case CLIENT -> new Outcome.Cancelled(id(), "cancelled by request");
            case SHUTDOWN -> new Outcome.Released(id());
            case LEASE_LOST -> null;
        };
    }

    synchronized void runningOn(Thread thread) {
        this.thread = thread;
        if (cancelReason.get() != null) {
            thread.interrupt();
        }
    }

    synchronized void finishedRunning() {
        this.thread = null;
    }

    /** The dispatcher released the job while its thread was still running; whatever it ends with is ignored. */
    void abandon() {
        abandoned = true;
    }

    boolean isAbandoned() {
        return abandoned;
    }

    synchronized Thread thread() {
        return thread;
    }
}

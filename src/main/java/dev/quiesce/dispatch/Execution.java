package dev.quiesce.dispatch;

import dev.quiesce.job.Job;

import java.util.concurrent.atomic.AtomicReference;

/** One running attempt of a job in this JVM: what the dispatcher tracks between claim and settlement. */
final class Execution {

    private final Job job;
    private final long startNanos = System.nanoTime();
    private final AtomicReference<CancelReason> cancelReason = new AtomicReference<>();
    private Thread thread;
    private volatile boolean abandoned;

    Execution(Job job) {
        this.job = job;
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
        Thread running = thread;
        if (running != null) {
            running.interrupt();
        }
        return true;
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

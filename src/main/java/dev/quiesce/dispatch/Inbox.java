package dev.quiesce.dispatch;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where runners post finished executions and where the dispatcher loop sleeps: any post or wake-up (a job
 * finished, a job was enqueued, a stop was asked) ends the loop's wait early, and none is ever lost.
 */
final class Inbox {

    private final ConcurrentLinkedQueue<Finished> finished = new ConcurrentLinkedQueue<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean pending;

    void post(Finished done) {
        finished.add(done);
        wake();
    }

    Finished poll() {
        return finished.poll();
    }

    boolean isEmpty() {
        return finished.isEmpty();
    }

    void wake() {
        lock.lock();
        try {
            pending = true;
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until woken or until {@code deadlineNanos} (monotonic clock); returns at once if a wake-up is pending. */
    void await(long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            while (!pending) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                changed.awaitNanos(left);
            }
            pending = false;
        } finally {
            lock.unlock();
        }
    }
}

package dev.quiesce.dispatch;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** Wakes the dispatcher loop early (a job finished, a job was enqueued, a stop was asked) without losing a wake-up. */
final class Wakeup {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean pending;

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

package dev.quiesce.dispatch;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Where runners report finished executions, and where the dispatcher loop sleeps. A report is handed to the
 * dispatcher at once, on the reporting thread; {@link #post} also wakes the loop (a child runner's slot freed
 * up: the loop starts its next job), {@link #deliver} does not (a thread runner takes its next job itself).
 * Any wake-up (a slot freed, jobs claimed, a stop) ends the loop's wait early, and none is ever lost.
 */
final class Inbox {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private volatile Consumer<Finished> receiver = done -> {
        throw new IllegalStateException("No dispatcher receives finished executions yet");
    };
    private boolean pending;

    /** Who receives the reports: the dispatcher, once it exists. */
    void receiveWith(Consumer<Finished> receiver) {
        this.receiver = receiver;
    }

    /** Reports a finished execution and wakes the loop. */
    void post(Finished done) {
        deliver(done);
        wake();
    }

    /** Reports a finished execution without waking the loop. */
    void deliver(Finished done) {
        receiver.accept(done);
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

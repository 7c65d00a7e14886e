package dev.quiesce.dispatch;

import dev.quiesce.leak.LeakKind;
import dev.quiesce.leak.Leaks;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes the in-process runner's threads and finds the threads a job leaves running. Each runner thread gets a
 * {@link ThreadGroup} of its own, and a platform thread starts in its creator's group: so whatever thread a job
 * starts (and whatever those start) lands in the group of the runner thread that ran the job. One job runs at a
 * time on a runner thread, so a live thread in that group after the job is the job's — attributed without
 * snapshotting every thread of the JVM around each job, and without blaming one job for another's threads.
 *
 * <p>Not seen: virtual threads (they have no group of their own), and the common fork-join pool's workers,
 * which a parallel stream may create in the job's group but which belong to the JVM, not to the job.
 */
final class JobThreads implements ThreadFactory {

    private final AtomicInteger created = new AtomicInteger();
    private final Leaks leaks;

    JobThreads(Leaks leaks) {
        this.leaks = leaks;
    }

    /**
     * Daemon threads: a job that ignores cancellation has been released by the time the JVM exits; its thread
     * must not keep the JVM alive past the budget.
     */
    @Override
    public Thread newThread(Runnable runnable) {
        String name = "quiesce-job-" + created.incrementAndGet();
        Thread thread = new Thread(new ThreadGroup(name), runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    /** On the runner thread, after a job: counts every thread the job started that is still alive. */
    void afterJob(Execution execution) {
        Thread self = Thread.currentThread();
        ThreadGroup group = self.getThreadGroup();
        if (group == null || group.activeCount() <= 1) {
            return; // the common case: the runner thread alone
        }
        Thread[] threads = new Thread[group.activeCount() + 16];
        int count = group.enumerate(threads, true);
        for (int i = 0; i < count; i++) {
            Thread thread = threads[i];
            if (thread == self || !thread.isAlive() || isCommonPoolWorker(thread)) {
                continue;
            }
            leaks.detected(LeakKind.THREAD, thread, "thread '" + thread.getName() + "' (" + (thread.isDaemon() ? "daemon" : "non-daemon")
                    + ") started by job " + execution.id() + " (" + execution.job().type() + ") outlived it", thread::isAlive);
        }
    }

    private static boolean isCommonPoolWorker(Thread thread) {
        return thread instanceof ForkJoinWorkerThread worker && worker.getPool() == ForkJoinPool.commonPool();
    }
}

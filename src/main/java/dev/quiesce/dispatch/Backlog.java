package dev.quiesce.dispatch;

import dev.quiesce.job.Job;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The jobs one runner has claimed but not started yet: claimed ahead of a free slot (the prefetch) so that a
 * runner that frees up starts its next job without a database round trip. They are leased to this instance
 * like running jobs. Closing the backlog (quiet, stop) takes them all out at once to be handed back, and
 * keeps later claims out until it is opened again, so a claim that answers after the close is handed back
 * too, never started.
 */
final class Backlog {

    private final ArrayDeque<Waiting> jobs = new ArrayDeque<>();
    private boolean open = true;

    private record Waiting(Job job, long sinceNanos) {
    }

    /** Adds claimed jobs in claim order; false (nothing added) if the backlog is closed: hand them back. */
    synchronized boolean offer(List<Job> claimed) {
        if (!open) {
            return false;
        }
        long now = System.nanoTime();
        claimed.forEach(job -> jobs.add(new Waiting(job, now)));
        return true;
    }

    /** The next job to start, or null. */
    synchronized Job poll() {
        Waiting next = jobs.poll();
        return next == null ? null : next.job();
    }

    synchronized int size() {
        return jobs.size();
    }

    synchronized boolean isEmpty() {
        return jobs.isEmpty();
    }

    /** Adds the ids held here to {@code ids}: their leases must be extended too. */
    synchronized void addIdsTo(Set<Long> ids) {
        jobs.forEach(waiting -> ids.add(waiting.job().id()));
    }

    /**
     * Takes out the jobs that have waited longer than {@code nanos} for a slot — the runner stopped taking work
     * (a degraded child pool) or its jobs got much longer than the prefetch expected — to be handed back, so that
     * another instance, or this one later, runs them.
     */
    synchronized List<Job> takeWaitingLongerThan(long nanos) {
        long now = System.nanoTime();
        List<Job> taken = new ArrayList<>();
        jobs.removeIf(waiting -> {
            boolean stale = now - waiting.sinceNanos() > nanos;
            if (stale) {
                taken.add(waiting.job());
            }
            return stale;
        });
        return taken;
    }

    /** Closes the backlog and takes out what it held, to be handed back. */
    synchronized List<Job> close() {
        open = false;
        List<Job> taken = new ArrayList<>(jobs.size());
        jobs.forEach(waiting -> taken.add(waiting.job()));
        jobs.clear();
        return taken;
    }

    synchronized void open() {
        open = true;
    }

    static List<Job> closeAll(Collection<Backlog> backlogs) {
        List<Job> taken = new ArrayList<>();
        backlogs.forEach(backlog -> taken.addAll(backlog.close()));
        return taken;
    }
}

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

    private final ArrayDeque<Job> jobs = new ArrayDeque<>();
    private boolean open = true;

    /** Adds claimed jobs in claim order; false (nothing added) if the backlog is closed: hand them back. */
    synchronized boolean offer(List<Job> claimed) {
        if (!open) {
            return false;
        }
        jobs.addAll(claimed);
        return true;
    }

    /** The next job to start, or null. */
    synchronized Job poll() {
        return jobs.poll();
    }

    synchronized int size() {
        return jobs.size();
    }

    /** Adds the ids held here to {@code ids}: their leases must be extended too. */
    synchronized void addIdsTo(Set<Long> ids) {
        jobs.forEach(job -> ids.add(job.id()));
    }

    /** Closes the backlog and takes out what it held, to be handed back. */
    synchronized List<Job> close() {
        open = false;
        List<Job> taken = new ArrayList<>(jobs);
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

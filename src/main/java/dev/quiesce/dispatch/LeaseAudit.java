package dev.quiesce.dispatch;

import dev.quiesce.instance.InstanceIdentity;
import dev.quiesce.leak.LeakCheck;
import dev.quiesce.leak.LeakKind;
import dev.quiesce.leak.Leaks;
import dev.quiesce.queue.JobQueue;
import dev.quiesce.queue.JobQueue.Outcome;
import dev.quiesce.queue.JobQueue.Settlement;

import java.util.List;

/**
 * At shutdown (phase {@code AUDIT}), after the dispatcher handed back what it could: any job still leased to
 * this instance is a {@code job_lease} leak. It is released here (back to {@code QUEUED}, attempt refunded) —
 * better now than when the lease expires — or stays outstanding when even that fails (the database is gone),
 * in which case another instance reclaims it once the lease expires.
 */
final class LeaseAudit implements LeakCheck {

    private final JobQueue queue;
    private final InstanceIdentity identity;

    LeaseAudit(JobQueue queue, InstanceIdentity identity) {
        this.queue = queue;
        this.identity = identity;
    }

    @Override
    public String name() {
        return "job leases";
    }

    @Override
    public void check(Leaks leaks) {
        List<Long> held = queue.runningOwnedBy(identity.id());
        if (held.isEmpty()) {
            return;
        }
        try {
            List<Settlement> settlements = queue.settle(identity.id(), held.stream().<Outcome>map(Outcome.Released::new).toList());
            long released = settlements.stream().filter(s -> !s.fenced()).count();
            leaks.reclaimed(LeakKind.JOB_LEASE, (int) released, "job lease(s) " + held + " still held at shutdown, released");
        } catch (RuntimeException e) {
            for (long id : held) {
                leaks.detected(LeakKind.JOB_LEASE, id, "lease of job " + id + " still held at shutdown and not released ("
                        + e + "); it returns to the queue when the lease expires");
            }
        }
    }
}

package dev.quiesce.dispatch;

import dev.quiesce.instance.InstanceIdentity;
import dev.quiesce.leak.LeakKind;
import dev.quiesce.leak.Leaks;
import dev.quiesce.queue.JobQueue;
import dev.quiesce.queue.JobQueue.LeaseCheck;
import dev.quiesce.queue.JobQueue.ReclaimResult;
import dev.quiesce.queue.QueueProperties;
import dev.quiesce.queue.WorkerRegistry;
import dev.quiesce.queue.WorkerRegistry.InstanceState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The heartbeat of DESIGN §3, in symmetric steps: {@link #register()} this instance (handing back at once
 * what a crashed previous run of it held), {@link #beat} to keep its leases and take back those of dead or
 * silent owners, {@link #deregister()} on a clean stop.
 */
final class LeaseKeeper {

    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

    private final JobQueue queue;
    private final WorkerRegistry workers;
    private final InstanceIdentity identity;
    private final JobMetrics metrics;
    private final QueueProperties properties;
    private final Leaks leaks;
    /** What {@link #recordProgress} last wrote per running job (the heartbeat's thread only). */
    private final Map<Long, JobQueue.RunView> written = new HashMap<>();

    LeaseKeeper(JobQueue queue, WorkerRegistry workers, InstanceIdentity identity, JobMetrics metrics, QueueProperties properties,
                Leaks leaks) {
        this.leaks = leaks;
        this.queue = queue;
        this.workers = workers;
        this.identity = identity;
        this.metrics = metrics;
        this.properties = properties;
    }

    void register() {
        workers.register(identity.id(), identity.name(), identity.host(), identity.pid());
        List<String> previous = workers.unfinishedIncarnations(identity.name(), identity.id());
        if (previous.isEmpty()) {
            return;
        }
        // This incarnation holds the data directory's lock, so no earlier one is alive: no need to wait for
        // their heartbeats to go stale.
        ReclaimResult reclaimed = queue.reclaimOwnedBy(previous);
        metrics.reclaimed(reclaimed);
        previous.forEach(workers::markStopped);
        log.warn("A previous run of this instance ({}) did not stop cleanly: handed back {} job(s) it held ({} quarantined)",
                previous, reclaimed.total(), reclaimed.quarantined());
        leaks.inherited(LeakKind.JOB_LEASE, reclaimed.total(), "job lease(s) held by " + previous + ", handed back");
    }

    /**
     * Extends the leases of {@code held} (running here, or finished with the outcome not yet written),
     * cancels the executions whose lease was lost or whose cancellation a client asked for, and reclaims the
     * jobs of owners that stopped heartbeating.
     */
    void beat(InstanceState state, Set<Long> held, Map<Long, Execution> running) {
        workers.heartbeat(identity.id(), state);
        LeaseCheck check = queue.heartbeat(identity.id(), held);
        recordProgress(running);
        for (long id : check.lost()) {
            Execution execution = running.get(id);
            if (execution != null && execution.cancel(CancelReason.LEASE_LOST)) {
                metrics.leaseLost();
                log.warn("Lost the lease of job {} (another instance reclaimed it); cancelling the local execution", id);
            }
        }
        for (long id : check.cancelRequested()) {
            Execution execution = running.get(id);
            if (execution != null && execution.cancel(CancelReason.CLIENT)) {
                log.info("Cancelling job {} at a client's request", id);
            }
        }
        ReclaimResult reclaimed = queue.reclaim(properties.ownerStaleAfter());
        if (reclaimed.total() > 0) {
            metrics.reclaimed(reclaimed);
            log.info("Reclaimed jobs of silent owners: {} lease expired, {} owner dead, {} quarantined",
                    reclaimed.leaseExpired(), reclaimed.ownerDead(), reclaimed.quarantined());
        }
    }

    /**
     * Writes where each running job runs and its progress, for the ones whose view changed since the last beat: a
     * job shorter than a heartbeat costs nothing here. Best effort: the console's view may lag, the leases may not.
     */
    private void recordProgress(Map<Long, Execution> running) {
        Map<Long, JobQueue.RunView> changed = new HashMap<>();
        for (Execution execution : running.values()) {
            JobQueue.RunView view = new JobQueue.RunView(execution.reportedProgress(), execution.where());
            if (view.runner() != null && !view.equals(written.get(execution.id()))) {
                changed.put(execution.id(), view);
            }
        }
        written.keySet().retainAll(running.keySet());
        if (changed.isEmpty()) {
            return;
        }
        try {
            queue.recordProgress(identity.id(), changed);
            written.putAll(changed);
        } catch (RuntimeException e) {
            log.debug("Could not record the progress of {} job(s): {}", changed.size(), e.toString());
        }
    }

    /** Leaves this instance's row STOPPED, so no other instance mistakes the clean stop for a crash. */
    void deregister() {
        try {
            workers.markStopped(identity.id());
        } catch (RuntimeException e) {
            log.warn("Could not mark instance {} STOPPED: {}", identity.id(), e.toString());
        }
    }
}

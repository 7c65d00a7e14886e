package dev.quiesce.fleet;

import dev.quiesce.queue.JobQueue;
import dev.quiesce.queue.JobQueue.ReclaimResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Hands back the running jobs of instances found dead by their liveness lock, as a crash of that owner (DESIGN §3
 * reclaim: {@code crashes + 1}, quarantined at {@code quarantine-after}). The jobs keep their id, priority and run_at,
 * so they are claimed again ahead of the backlog; the reclaim NOTIFYs at commit, so an idle instance starts them at
 * once. Several instances may rescue the same owner at once: the reclaim locks rows with SKIP LOCKED, so each job is
 * handed back, and counted, once.
 */
final class OwnerRescue {

    private static final Logger log = LoggerFactory.getLogger(OwnerRescue.class);

    private final JobQueue queue;
    private final FleetMetrics metrics;

    OwnerRescue(JobQueue queue, FleetMetrics metrics) {
        this.queue = queue;
        this.metrics = metrics;
    }

    void rescue(List<String> deadOwners) {
        for (String owner : deadOwners) {
            ReclaimResult result = queue.reclaimOwnedBy(List.of(owner));
            if (result.total() > 0) {
                metrics.rescued(result);
                log.warn("Instance {} is dead (its liveness lock was freed: its database session ended): handed back {} running"
                        + " job(s) it held ({} quarantined)", owner, result.total(), result.quarantined());
            }
        }
    }
}

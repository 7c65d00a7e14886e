package dev.quiesce.fleet;

import dev.quiesce.queue.JobQueue.ReclaimResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fleet's meters, registered at start-up (0) on every database, so that dashboards see them on H2 too. A
 * rescue's jobs are counted on the dispatcher's own meters ({@code quiesce.jobs.reclaimed{reason=owner_dead}}, and
 * {@code quiesce.jobs.finished{outcome=failed}} for quarantines), looked up by the same name and tags: Micrometer
 * hands back the meter already registered.
 */
final class FleetMetrics {

    private final AtomicInteger listening = new AtomicInteger();
    private final Counter reconnects;
    private final Counter rescues;
    private final Counter sent;
    private final Counter received;
    private final Counter reclaimedOwnerDead;
    private final Counter failed;

    FleetMetrics(MeterRegistry registry) {
        Gauge.builder("quiesce.fleet.listening", listening, AtomicInteger::get)
                .description("1 while this instance's fleet listener is connected: it hears other instances' jobs and holds its liveness lock")
                .register(registry);
        reconnects = Counter.builder("quiesce.fleet.reconnects")
                .description("Times the fleet listener connection was opened again after it dropped").register(registry);
        rescues = Counter.builder("quiesce.fleet.rescues")
                .description("Dead instances whose running jobs this instance handed back because their liveness lock was free")
                .register(registry);
        sent = notifications(registry, "sent");
        received = notifications(registry, "received");
        reclaimedOwnerDead = Counter.builder("quiesce.jobs.reclaimed")
                .description("Jobs of dead or silent owners this instance returned to the queue, by reason")
                .tag("reason", "owner_dead").register(registry);
        failed = Counter.builder("quiesce.jobs.finished").description("Job attempts that ended, by outcome")
                .tag("outcome", "failed").register(registry);
    }

    void listening(boolean up) {
        listening.set(up ? 1 : 0);
    }

    void reconnected() {
        reconnects.increment();
    }

    void sent() {
        sent.increment();
    }

    void received(int count) {
        received.increment(count);
    }

    void rescued(ReclaimResult result) {
        rescues.increment();
        reclaimedOwnerDead.increment(result.ownerDead() + result.leaseExpired());
        failed.increment(result.quarantined());
    }

    private static Counter notifications(MeterRegistry registry, String direction) {
        return Counter.builder("quiesce.fleet.notifications")
                .description("Fleet wake-up notifications: sent for jobs enqueued here, received for jobs ready elsewhere")
                .tag("direction", direction).register(registry);
    }
}

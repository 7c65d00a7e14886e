package dev.quiesce.dispatch;

import dev.quiesce.queue.JobQueue.Outcome;
import dev.quiesce.queue.JobQueue.ReclaimResult;
import dev.quiesce.queue.JobQueue.Settlement;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The job meters of DESIGN §6, every (meter, tag value) pair registered at start-up with value 0 so that
 * dashboards and alerts never see "no data" (and because meters created after the registry closes at
 * shutdown would be no-ops).
 */
final class JobMetrics {

    static final List<String> RUNNERS = List.of("thread", "child");
    static final List<String> OUTCOMES = List.of("succeeded", "failed", "retried", "cancelled");
    private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(25), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30),
            Duration.ofMinutes(2), Duration.ofMinutes(10), Duration.ofHours(1)};
    private static final Duration[] CLAIM_BUCKETS = {Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1),
            Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofSeconds(1)};

    private final Map<String, Counter> claimed = new HashMap<>();
    private final Map<String, Counter> finished = new HashMap<>();
    private final Counter releasedShutdown;
    private final Counter releasedLeaseLost;
    private final Counter releasedUnstarted;
    private final Counter reclaimedLeaseExpired;
    private final Counter reclaimedOwnerDead;
    private final Counter fenced;
    private final Map<String, Timer> durations = new HashMap<>();
    private final Timer claims;

    JobMetrics(MeterRegistry registry, Collection<String> jobTypes, Map<String, Supplier<Number>> inFlightByRunner) {
        for (String runner : RUNNERS) {
            claimed.put(runner, Counter.builder("quiesce.jobs.claimed").description("Jobs claimed from the queue by this instance")
                    .tag("runner", runner).register(registry));
            Supplier<Number> inFlight = inFlightByRunner.getOrDefault(runner, () -> 0);
            Gauge.builder("quiesce.jobs.in.flight", inFlight).description("Jobs running in this instance now")
                    .tag("runner", runner).register(registry);
        }
        for (String outcome : OUTCOMES) {
            finished.put(outcome, Counter.builder("quiesce.jobs.finished").description("Job attempts that ended, by outcome")
                    .tag("outcome", outcome).register(registry));
            for (String type : jobTypes) {
                durations.put(type + "/" + outcome, Timer.builder("quiesce.job.duration").description("Time a job attempt ran")
                        .tag("type", type).tag("outcome", outcome).serviceLevelObjectives(BUCKETS).register(registry));
            }
        }
        releasedShutdown = released(registry, "shutdown");
        releasedLeaseLost = released(registry, "lease_lost");
        releasedUnstarted = released(registry, "unstarted");
        reclaimedLeaseExpired = reclaimed(registry, "lease_expired");
        reclaimedOwnerDead = reclaimed(registry, "owner_dead");
        fenced = Counter.builder("quiesce.jobs.fenced")
                .description("Completions discarded because this instance no longer held the job's lease").register(registry);
        claims = Timer.builder("quiesce.queue.claim").description("Round trip of one claim transaction (empty claims included)")
                .serviceLevelObjectives(CLAIM_BUCKETS).register(registry);
    }

    /** Times one claim transaction, from the call to its commit. */
    void claimTook(long nanos) {
        claims.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    void claimed(String runner, int count) {
        claimed.get(runner).increment(count);
    }

    void finished(String type, String outcome, long nanos) {
        finished.get(outcome).increment();
        Timer timer = durations.get(type + "/" + outcome);
        if (timer != null) {
            timer.record(Duration.ofNanos(nanos));
        }
    }

    /** Counts a written outcome by what it did to the job: finished (and how), released, or fenced off. */
    void settled(String type, Settlement settlement, long nanos) {
        if (settlement.fenced()) {
            fenced.increment();
            return;
        }
        String failedOrRetried = settlement.newState() != null && settlement.newState().isTerminal() ? "failed" : "retried";
        switch (settlement.outcome()) {
            case Outcome.Succeeded s -> finished(type, "succeeded", nanos);
            case Outcome.Failed f -> finished(type, failedOrRetried, nanos);
            case Outcome.Crashed c -> finished(type, failedOrRetried, nanos);
            case Outcome.Cancelled c -> finished(type, "cancelled", nanos);
            case Outcome.Released r -> releasedShutdown.increment();
            case Outcome.Returned r -> releasedUnstarted.increment();
        }
    }

    void leaseLost() {
        releasedLeaseLost.increment();
    }

    void reclaimed(ReclaimResult result) {
        reclaimedLeaseExpired.increment(result.leaseExpired());
        reclaimedOwnerDead.increment(result.ownerDead());
        // A quarantined job ends here, failed, without ever reaching a runner.
        finished.get("failed").increment(result.quarantined());
    }

    private static Counter released(MeterRegistry registry, String reason) {
        return Counter.builder("quiesce.jobs.released").description("Running jobs handed back to the queue, by reason")
                .tag("reason", reason).register(registry);
    }

    private static Counter reclaimed(MeterRegistry registry, String reason) {
        return Counter.builder("quiesce.jobs.reclaimed")
                .description("Jobs of dead or silent owners this instance returned to the queue, by reason")
                .tag("reason", reason).register(registry);
    }
}

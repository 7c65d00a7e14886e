package dev.quiesce.queue;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

/**
 * The durable queue's settings ({@code quiesce.queue.*}).
 *
 * @param lease           how long a claim is held without a heartbeat before another instance may reclaim it
 * @param heartbeat       how often this instance extends its leases and its {@code workers} row; an owner
 *                        silent for three heartbeats is considered dead
 * @param maxPayload      largest accepted job payload (the request is rejected with 413 above it)
 * @param quarantineAfter a job that crashed its worker this many times is failed with reason
 *                        {@code quarantined} instead of being retried
 * @param retryBackoff    back-off before the first retry of a failed attempt; doubles per attempt
 * @param retryBackoffMax the longest back-off between two attempts
 * @param runAtHorizon    how far ahead a job's {@code runAt} may be; a later one is refused (400), since a job that
 *                        would wait years is almost surely a client's mistake and would sit in the queue unseen
 */
@ConfigurationProperties("quiesce.queue")
public record QueueProperties(
        @DefaultValue("30s") Duration lease,
        @DefaultValue("2s") Duration heartbeat,
        @DefaultValue("256KB") DataSize maxPayload,
        @DefaultValue("3") int quarantineAfter,
        @DefaultValue("1s") Duration retryBackoff,
        @DefaultValue("10m") Duration retryBackoffMax,
        @DefaultValue("366d") Duration runAtHorizon) {

    public QueueProperties {
        require(lease.compareTo(Duration.ofSeconds(1)) >= 0, "quiesce.queue.lease", "must be at least 1s, was " + lease);
        require(!heartbeat.isNegative() && !heartbeat.isZero(), "quiesce.queue.heartbeat", "must be positive, was " + heartbeat);
        require(heartbeat.multipliedBy(2).compareTo(lease) <= 0, "quiesce.queue.heartbeat",
                "must be at most half of quiesce.queue.lease (" + lease + ") so a lease survives a missed heartbeat, was " + heartbeat);
        require(maxPayload.toBytes() > 0, "quiesce.queue.max-payload", "must be positive, was " + maxPayload);
        require(quarantineAfter >= 1, "quiesce.queue.quarantine-after", "must be at least 1, was " + quarantineAfter);
        require(!retryBackoff.isNegative(), "quiesce.queue.retry-backoff", "must not be negative, was " + retryBackoff);
        require(retryBackoffMax.compareTo(retryBackoff) >= 0, "quiesce.queue.retry-backoff-max",
                "must be at least quiesce.queue.retry-backoff (" + retryBackoff + "), was " + retryBackoffMax);
        require(!runAtHorizon.isNegative() && !runAtHorizon.isZero(), "quiesce.queue.run-at-horizon",
                "must be positive, was " + runAtHorizon);
    }

    /** An owner whose heartbeat is older than this is dead (DESIGN §3: three heartbeats). */
    public Duration ownerStaleAfter() {
        return heartbeat.multipliedBy(3);
    }

    private static void require(boolean ok, String property, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(property + " " + problem);
        }
    }
}

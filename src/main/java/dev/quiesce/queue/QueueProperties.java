package dev.quiesce.queue;

import dev.quiesce.settings.InvalidConfigurationException;
import dev.quiesce.settings.MinDataSize;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * The durable queue's settings ({@code quiesce.queue.*}). Each constraint's message is the value it expects; the
 * checks across properties are in the constructor.
 *
 * @param lease           how long a claim is held without a heartbeat before another instance may reclaim it.
 *                        At least 1s
 * @param heartbeat       how often this instance extends its leases and its workers row; an owner
 *                        silent for three heartbeats is considered dead. Positive and at most half the lease, so
 *                        a lease survives one missed heartbeat
 * @param maxPayload      largest accepted job payload (the request is rejected with 413 above it). At least 1B
 * @param quarantineAfter a job that crashed its worker this many times is failed with reason
 *                        quarantined instead of being retried. 1 or more
 * @param retryBackoff    back-off before the first retry of a failed attempt; doubles per attempt. 0 or more
 * @param retryBackoffMax the longest back-off between two attempts. At least retry-backoff
 * @param runAtHorizon    how far ahead a job's runAt may be; a later one is refused (400), since a job that would
 *                        wait years is almost surely a client's mistake and would sit in the queue unseen. Positive
 */
@Validated
@ConfigurationProperties("quiesce.queue")
public record QueueProperties(
        @NotNull(message = "a duration of 1s or more, such as 30s")
        @DurationMin(seconds = 1, message = "a duration of 1s or more, such as 30s")
        @DefaultValue("30s") Duration lease,
        @NotNull(message = "a positive duration such as 2s")
        @DurationMin(nanos = 0, inclusive = false, message = "a positive duration such as 2s")
        @DefaultValue("2s") Duration heartbeat,
        @NotNull(message = "a size of 1B or more, such as 256KB")
        @MinDataSize(value = "1B", message = "a size of 1B or more, such as 256KB")
        @DefaultValue("256KB") DataSize maxPayload,
        @Min(value = 1, message = "1 or more")
        @DefaultValue("3") int quarantineAfter,
        @NotNull(message = "0s or a positive duration such as 1s")
        @DurationMin(nanos = 0, message = "0s or a positive duration such as 1s")
        @DefaultValue("1s") Duration retryBackoff,
        @NotNull(message = "a duration such as 10m")
        @DefaultValue("10m") Duration retryBackoffMax,
        @NotNull(message = "a positive duration such as 366d")
        @DurationMin(nanos = 0, inclusive = false, message = "a positive duration such as 366d")
        @DefaultValue("366d") Duration runAtHorizon) {

    private static final String P = "quiesce.queue.";
    private static final Duration MIN_LEASE = Duration.ofSeconds(1);

    /** Checks across properties; each one only once the values it compares are valid on their own (constraints). */
    public QueueProperties {
        if (lease != null && lease.compareTo(MIN_LEASE) >= 0 && heartbeat != null && heartbeat.isPositive()
                && heartbeat.multipliedBy(2).compareTo(lease) > 0) {
            throw new InvalidConfigurationException(
                    P + "heartbeat is " + s(heartbeat) + " and " + P + "lease is " + s(lease)
                            + ": a heartbeat longer than half the lease lets a lease expire after a single missed heartbeat.",
                    "Set " + P + "heartbeat to at most " + s(lease.dividedBy(2)) + " (half of " + P + "lease), or raise "
                            + P + "lease to at least " + s(heartbeat.multipliedBy(2)) + ".");
        }
        if (retryBackoff != null && retryBackoffMax != null && !retryBackoff.isNegative()
                && retryBackoffMax.compareTo(retryBackoff) < 0) {
            throw new InvalidConfigurationException(
                    P + "retry-backoff-max is " + s(retryBackoffMax) + ", shorter than " + P + "retry-backoff (" + s(retryBackoff) + ").",
                    "Set " + P + "retry-backoff-max to at least " + s(retryBackoff) + ", or lower " + P + "retry-backoff.");
        }
    }

    /** An owner whose heartbeat is older than this is dead (DESIGN §3: three heartbeats). */
    public Duration ownerStaleAfter() {
        return heartbeat.multipliedBy(3);
    }

    /** As a user writes it: 15s, 1500ms. */
    private static String s(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}

package dev.quiesce.fleet;

import dev.quiesce.settings.InvalidConfigurationException;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * How the instances sharing a PostgreSQL database wake and rescue each other ({@code quiesce.fleet.*}). On H2
 * (one instance per file) none of this runs. Each constraint's message is the value it expects.
 *
 * @param listen              on PostgreSQL, hold one dedicated connection that LISTENs for jobs enqueued or handed
 *                            back on other instances (this instance then claims them at once instead of at its next
 *                            poll), NOTIFY the others of jobs enqueued here, and hold this instance's liveness lock.
 *                            The poll (quiesce.worker.poll-interval) stays the fallback
 * @param rescue              hand back, within about two rescue intervals, the running jobs of an instance whose
 *                            liveness lock is gone (its process died, so PostgreSQL closed its connection) instead of
 *                            after three heartbeats. Needs listen
 * @param rescueInterval      how often the liveness locks of the other instances are checked (one query); an instance
 *                            is rescued when two checks in a row find its lock free. From 50ms to 10s
 * @param reconnectBackoffMax the longest wait between two attempts to reconnect the listener after its connection
 *                            dropped (the first attempt is immediate, then 100ms doubling up to this). From 100ms to 5m
 */
@Validated
@ConfigurationProperties("quiesce.fleet")
public record FleetProperties(
        @DefaultValue("true") boolean listen,
        @DefaultValue("true") boolean rescue,
        @NotNull(message = "a duration from 50ms to 10s, such as 250ms")
        @DurationMin(millis = 50, message = "a duration from 50ms to 10s, such as 250ms")
        @DurationMax(seconds = 10, message = "a duration from 50ms to 10s, such as 250ms")
        @DefaultValue("250ms") Duration rescueInterval,
        @NotNull(message = "a duration from 100ms to 5m, such as 5s")
        @DurationMin(millis = 100, message = "a duration from 100ms to 5m, such as 5s")
        @DurationMax(minutes = 5, message = "a duration from 100ms to 5m, such as 5s")
        @DefaultValue("5s") Duration reconnectBackoffMax) {

    private static final String P = "quiesce.fleet.";

    public FleetProperties {
        if (rescue && !listen) {
            throw new InvalidConfigurationException(
                    P + "rescue is true but " + P + "listen is false: the liveness lock the rescue reads is held on the"
                            + " listener's connection.",
                    "Set " + P + "rescue=false as well, or " + P + "listen=true.");
        }
    }

    /** The listener's wait between two checks: the rescue interval, or a keep-alive period without rescue. */
    Duration tick() {
        return rescue ? rescueInterval : Duration.ofSeconds(5);
    }
}

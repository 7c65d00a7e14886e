package dev.quiesce.retention;

import dev.quiesce.settings.InvalidConfigurationException;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * How long finished rows are kept ({@code quiesce.retention.*}). A row older than its retention (measured with the
 * database's clock) is deleted by the periodic sweep of any instance, in batches. A retention of {@code 0} keeps
 * those rows forever. Each constraint's message is the value it expects; the floors below are in the constructor,
 * because {@code 0} is allowed under them.
 *
 * @param succeeded       how long a SUCCEEDED job is kept after it finished, then deleted (GET /jobs/{id}
 *                        answers 404, and its idempotency key may be used again). 0 keeps them forever, else at
 *                        least 1m
 * @param failed          how long a FAILED job is kept after it finished (longer than succeeded ones by default:
 *                        failures are what people come back to look at). 0 keeps them forever, else at least 1m
 * @param cancelled       how long a CANCELLED job is kept after it was cancelled. 0 keeps them forever, else at
 *                        least 1m
 * @param workers         how long the workers row of an instance is kept after its last heartbeat (a stopped
 *                        instance's last heartbeat is its stop); a row whose instance still holds a RUNNING
 *                        job is never deleted. 0 keeps them forever, else at least 1h and at least ten times the
 *                        silence after which an instance counts as dead (three quiesce.queue.heartbeat)
 * @param shutdownReports how long a shutdown report is kept after it was written; the fleet-wide
 *                        quiesce_shutdown_reports_total still counts deleted reports. 0 keeps them forever,
 *                        else at least 1h
 * @param interval        how often each instance sweeps, on average: each wait is drawn between 75 % and 125 % of
 *                        it, so that a fleet started at once does not sweep in step. At least 1s
 * @param batchSize       the most rows one sweep deletes in one transaction. 1 to 10000
 * @param batchPause      the pause between two batches of a sweep, which leaves the database to the queue in between.
 *                        0 or more, and shorter than the interval
 */
@Validated
@ConfigurationProperties("quiesce.retention")
public record RetentionProperties(
        @NotNull(message = "0 (keep forever) or a duration of 1m or more, such as 7d")
        @DurationMin(nanos = 0, message = "0 (keep forever) or a duration of 1m or more, such as 7d")
        @DefaultValue("7d") Duration succeeded,
        @NotNull(message = "0 (keep forever) or a duration of 1m or more, such as 30d")
        @DurationMin(nanos = 0, message = "0 (keep forever) or a duration of 1m or more, such as 30d")
        @DefaultValue("30d") Duration failed,
        @NotNull(message = "0 (keep forever) or a duration of 1m or more, such as 30d")
        @DurationMin(nanos = 0, message = "0 (keep forever) or a duration of 1m or more, such as 30d")
        @DefaultValue("30d") Duration cancelled,
        @NotNull(message = "0 (keep forever) or a duration of 1h or more, such as 7d")
        @DurationMin(nanos = 0, message = "0 (keep forever) or a duration of 1h or more, such as 7d")
        @DefaultValue("7d") Duration workers,
        @NotNull(message = "0 (keep forever) or a duration of 1h or more, such as 90d")
        @DurationMin(nanos = 0, message = "0 (keep forever) or a duration of 1h or more, such as 90d")
        @DefaultValue("90d") Duration shutdownReports,
        @NotNull(message = "a duration of 1s or more, such as 5m")
        @DurationMin(seconds = 1, message = "a duration of 1s or more, such as 5m")
        @DefaultValue("5m") Duration interval,
        @Min(value = 1, message = "a whole number from 1 to 10000, such as 1000")
        @Max(value = 10_000, message = "a whole number from 1 to 10000, such as 1000")
        @DefaultValue("1000") int batchSize,
        @NotNull(message = "0 or a positive duration such as 100ms")
        @DurationMin(nanos = 0, message = "0 or a positive duration such as 100ms")
        @DefaultValue("100ms") Duration batchPause) {

    private static final String P = "quiesce.retention.";
    private static final Duration MIN_JOB_RETENTION = Duration.ofMinutes(1);
    private static final Duration MIN_ROW_RETENTION = Duration.ofHours(1);

    /**
     * The floors of the retentions, which {@code 0} is exempt from: a bare number is read as milliseconds, and
     * {@code succeeded=7} (7 ms, meant as 7 days) would delete every job as it finishes.
     */
    public RetentionProperties {
        floor("succeeded", succeeded, MIN_JOB_RETENTION, "7d");
        floor("failed", failed, MIN_JOB_RETENTION, "30d");
        floor("cancelled", cancelled, MIN_JOB_RETENTION, "30d");
        floor("workers", workers, MIN_ROW_RETENTION, "7d");
        floor("shutdown-reports", shutdownReports, MIN_ROW_RETENTION, "90d");
        if (batchPause != null && interval != null && !batchPause.isNegative() && batchPause.compareTo(interval) >= 0) {
            throw new InvalidConfigurationException(
                    P + "batch-pause is " + s(batchPause) + ", not shorter than " + P + "interval (" + s(interval) + ").",
                    "Set " + P + "batch-pause to a short pause such as 100ms, or raise " + P + "interval.");
        }
    }

    /** A retention of 0: the rows are kept forever. */
    static boolean keepsForever(Duration retention) {
        return retention.isZero();
    }

    /**
     * The workers rows against the queue's heartbeat: a row deleted while its instance lives makes the instance look
     * dead to the others (DESIGN §3), so the retention must be far longer than the silence that means dead.
     */
    void checkAgainst(Duration ownerStaleAfter) {
        if (!keepsForever(workers) && workers.compareTo(ownerStaleAfter.multipliedBy(10)) < 0) {
            throw new InvalidConfigurationException(
                    P + "workers is " + s(workers) + ", shorter than ten times the " + s(ownerStaleAfter)
                            + " of silence after which an instance counts as dead (three quiesce.queue.heartbeat).",
                    "Set " + P + "workers to at least " + s(ownerStaleAfter.multipliedBy(10)) + ", such as 7d, or 0 to keep the rows.");
        }
    }

    private static void floor(String property, Duration retention, Duration min, String example) {
        if (retention != null && retention.isPositive() && retention.compareTo(min) < 0) {
            throw new InvalidConfigurationException(
                    P + property + " is " + s(retention) + ", shorter than " + s(min)
                            + " (a bare number is read as milliseconds).",
                    "Set " + P + property + " to 0 to keep the rows forever, or to " + s(min) + " or more, such as " + example + ".");
        }
    }

    /** As a user writes it: 7d, 15s, 1500ms. */
    private static String s(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000 == 0 && ms > 0) {
            return ms / 86_400_000 + "d";
        }
        if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}

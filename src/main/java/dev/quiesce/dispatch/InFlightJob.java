package dev.quiesce.dispatch;

import java.time.Duration;

/**
 * A job running on this instance now, as the actuator shows it.
 *
 * @param runner     {@code thread} or {@code child}
 * @param attempt    which attempt this is (1 for the first)
 * @param runningFor since it was claimed
 * @param progress   what the job last reported, in [0, 1] (0 until it reports; child tasks report none)
 */
public record InFlightJob(long id, String type, String runner, int attempt, Duration runningFor, double progress) {
}

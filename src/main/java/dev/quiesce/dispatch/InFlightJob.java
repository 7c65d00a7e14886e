package dev.quiesce.dispatch;

import java.time.Duration;

/**
 * A job running on this instance now, as the actuator shows it.
 *
 * @param runner     {@code thread} or {@code child}
 * @param attempt    which attempt this is (1 for the first)
 * @param runningFor since it was claimed
 */
public record InFlightJob(long id, String type, String runner, int attempt, Duration runningFor) {
}

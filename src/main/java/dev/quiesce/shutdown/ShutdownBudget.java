package dev.quiesce.shutdown;

import dev.quiesce.settings.InvalidConfigurationException;

import java.time.Duration;

/**
 * The grace period split into slices (DESIGN §4), validated at start-up:
 * {@code drain = grace-period − pre-stop − cancel-grace − child-stop-timeout − margin}, unless
 * {@code drain-timeout} is set and fits. A budget that does not fit fails start-up instead of failing the
 * first deploy: Kubernetes would SIGKILL us mid-drain.
 *
 * @param total the time from SIGTERM to exit: grace period minus what pre-stop already spent
 */
public record ShutdownBudget(Duration total, Duration drain, Duration cancelGrace, Duration childStopTimeout, Duration margin) {

    private static final String P = "quiesce.shutdown.";

    public static ShutdownBudget of(ShutdownProperties p) {
        requireNonNegative(p.gracePeriod(), "grace-period");
        requireNonNegative(p.preStop(), "pre-stop");
        requireNonNegative(p.cancelGrace(), "cancel-grace");
        requireNonNegative(p.childStopTimeout(), "child-stop-timeout");
        requireNonNegative(p.margin(), "margin");
        Duration total = p.gracePeriod().minus(p.preStop());
        Duration fixed = p.cancelGrace().plus(p.childStopTimeout()).plus(p.margin());
        Duration left = total.minus(fixed);
        String sum = P + "grace-period (" + s(p.gracePeriod()) + ") - " + P + "pre-stop (" + s(p.preStop()) + ") - "
                + P + "cancel-grace (" + s(p.cancelGrace()) + ") - " + P + "child-stop-timeout (" + s(p.childStopTimeout())
                + ") - " + P + "margin (" + s(p.margin()) + ")";
        if (p.drainTimeout() == null) {
            if (left.isNegative() || left.isZero()) {
                throw new InvalidConfigurationException(
                        "The shutdown budget does not fit: " + sum + " leaves " + s(left) + " to drain running jobs.",
                        "Raise " + P + "grace-period to at least " + s(p.preStop().plus(fixed).plusSeconds(1))
                                + ", or lower " + P + "cancel-grace, " + P + "child-stop-timeout, " + P + "margin or " + P + "pre-stop.");
            }
            return new ShutdownBudget(total, left, p.cancelGrace(), p.childStopTimeout(), p.margin());
        }
        requireNonNegative(p.drainTimeout(), "drain-timeout");
        if (p.drainTimeout().compareTo(left) > 0) {
            throw new InvalidConfigurationException(
                    "The shutdown budget does not fit: " + P + "drain-timeout (" + s(p.drainTimeout()) + ") is longer than the "
                            + s(left) + " that " + sum + " leaves.",
                    "Lower " + P + "drain-timeout to at most " + s(left.isNegative() ? Duration.ZERO : left)
                            + " (or unset it), or raise " + P + "grace-period to at least "
                            + s(p.preStop().plus(fixed).plus(p.drainTimeout())) + ".");
        }
        return new ShutdownBudget(total, p.drainTimeout(), p.cancelGrace(), p.childStopTimeout(), p.margin());
    }

    /** The dispatcher's phase: drain, then the cancelled jobs' grace. */
    public Duration dispatchSlice() {
        return drain.plus(cancelGrace);
    }

    /** The deadlines of a shutdown that starts at {@code startNanos} on the monotonic clock. */
    public ShutdownDeadlines startingAt(long startNanos) {
        Deadline start = new Deadline(startNanos);
        Deadline drainEnds = start.plus(drain);
        Deadline cancelEnds = drainEnds.plus(cancelGrace);
        Deadline childrenStopped = cancelEnds.plus(childStopTimeout);
        return new ShutdownDeadlines(start, drainEnds, cancelEnds, childrenStopped, start.plus(total));
    }

    @Override
    public String toString() {
        return "total " + s(total) + " = drain " + s(drain) + " + cancel-grace " + s(cancelGrace)
                + " + child-stop-timeout " + s(childStopTimeout) + " + margin " + s(margin);
    }

    private static void requireNonNegative(Duration value, String name) {
        if (value.isNegative()) {
            throw new InvalidConfigurationException(P + name + " is negative (" + s(value) + ").",
                    "Set " + P + name + " to zero or a positive duration such as 5s.");
        }
    }

    static String s(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}

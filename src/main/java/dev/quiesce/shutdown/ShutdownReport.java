package dev.quiesce.shutdown;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What one shutdown did (DESIGN §4, step 4): written at the end as a log line, a {@code shutdown_reports} row
 * and the termination message. Leak counts are keyed by {@code LeakKind} tag, every kind present.
 *
 * @param instanceId  the incarnation that stopped
 * @param instanceName the stable instance name (the pod name in Kubernetes)
 * @param startedAt   when shutdown began (SIGTERM / context close)
 * @param budget      the time it was allowed: grace period minus pre-stop
 * @param took        from shutdown start to the report
 * @param phases      time per phase, by phase tag ({@code dispatch}, {@code web_server}, {@code children}, {@code audit}), in order
 * @param jobs        what the drain did
 * @param children    how the child JVMs ended
 * @param leaks       leaks this run caused and found, at run time or at shutdown, by kind
 * @param outstanding leaks still there when the report was written, by kind
 * @param inherited   leaks of a previous run of this instance found and reclaimed at start-up (a SIGKILLed run's
 *                    children, leases, scratch directories), by kind: not this run's doing, so they do not
 *                    change its outcome
 * @param outcome     {@code clean}, {@code leaky} or {@code overran}
 */
public record ShutdownReport(String instanceId, String instanceName, Instant startedAt, Duration budget, Duration took,
                             Map<String, Duration> phases, Jobs jobs, Children children, Map<String, Long> leaks,
                             Map<String, Long> outstanding, Map<String, Long> inherited, ShutdownOutcome outcome) {

    /**
     * Jobs at shutdown: finished while draining, cancelled at the drain deadline, handed back, abandoned, not handed
     * back, and finished but with their outcome not written (the database did not answer in time): the last two
     * stay leased to this instance until the lease expires, and then run again.
     */
    public record Jobs(int drained, int cancelled, int released, int abandoned, int unreleased, int unwritten) {
        public static final Jobs NONE = new Jobs(0, 0, 0, 0, 0, 0);

        /** Every outcome written. */
        public Jobs(int drained, int cancelled, int released, int abandoned, int unreleased) {
            this(drained, cancelled, released, abandoned, unreleased, 0);
        }

        /** Jobs this stop could not leave in a final or queued state: they wait for their lease to expire. */
        public int notHandedBack() {
            return unreleased + unwritten;
        }
    }

    /** Child JVMs at shutdown, by how they ended. */
    public record Children(int graceful, int terminated, int killed) {
        public static final Children NONE = new Children(0, 0, 0);
    }

    /**
     * The outcome these figures earn: overran (past the budget, or jobs not handed back) beats leaky (this run
     * leaked, or something is still outstanding) beats clean.
     */
    public static ShutdownOutcome outcomeOf(Duration budget, Duration took, Jobs jobs, Map<String, Long> leaks,
                                            Map<String, Long> outstanding) {
        if (took.compareTo(budget) > 0 || jobs.notHandedBack() > 0) {
            return ShutdownOutcome.OVERRAN;
        }
        if (leaks.values().stream().anyMatch(count -> count > 0) || outstanding.values().stream().anyMatch(count -> count > 0)) {
            return ShutdownOutcome.LEAKY;
        }
        return ShutdownOutcome.CLEAN;
    }

    public long leakCount() {
        return leaks.values().stream().mapToLong(Long::longValue).sum();
    }
}

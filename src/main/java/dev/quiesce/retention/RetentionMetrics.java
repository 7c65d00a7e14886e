package dev.quiesce.retention;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code quiesce_retention_deleted_total{what}}: rows this instance's sweeps deleted, by table ({@code jobs},
 * {@code workers}, {@code shutdown_reports}). Per instance: the fleet's total is the sum over pods, and each row is
 * counted by the one sweeper that deleted it. Registered at start-up with 0.
 */
final class RetentionMetrics {

    static final String JOBS = "jobs";
    static final String WORKERS = "workers";
    static final String SHUTDOWN_REPORTS = "shutdown_reports";

    private final Counter jobs;
    private final Counter workers;
    private final Counter shutdownReports;

    RetentionMetrics(MeterRegistry registry) {
        this.jobs = deleted(registry, JOBS);
        this.workers = deleted(registry, WORKERS);
        this.shutdownReports = deleted(registry, SHUTDOWN_REPORTS);
    }

    Counter counter(String what) {
        return switch (what) {
            case JOBS -> jobs;
            case WORKERS -> workers;
            case SHUTDOWN_REPORTS -> shutdownReports;
            default -> throw new IllegalArgumentException("no retention counter for " + what);
        };
    }

    private static Counter deleted(MeterRegistry registry, String what) {
        return Counter.builder("quiesce.retention.deleted")
                .description("Rows older than their retention deleted by this instance's sweeps")
                .tag("what", what).register(registry);
    }
}

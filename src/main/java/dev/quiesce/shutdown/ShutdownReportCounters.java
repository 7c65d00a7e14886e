package dev.quiesce.shutdown;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * {@code quiesce_shutdown_reports_total{outcome}}: the fleet's shutdown reports by outcome, read from the
 * {@code shutdown_reports} table. A counter, not a gauge: reports deleted by the retention sweep are still counted
 * (in {@code shutdown_reports_pruned}), so the count only grows, and Prometheus reserves {@code _total} for counters. Every outcome is registered at start-up with 0. One
 * query per {@link #MAX_AGE} at most, whoever scrapes; a failing database keeps the last known counts (and says
 * so once in the log) rather than breaking the scrape.
 */
@Component
class ShutdownReportCounters {

    static final Duration MAX_AGE = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(ShutdownReportCounters.class);

    private final ShutdownReports reports;
    private final long maxAgeNanos;
    private final Map<ShutdownOutcome, Long> counts = new EnumMap<>(ShutdownOutcome.class);
    private long refreshedAt;
    private boolean failing;

    @Autowired
    ShutdownReportCounters(ShutdownReports reports, MeterRegistry registry) {
        this(reports, registry, MAX_AGE);
    }

    ShutdownReportCounters(ShutdownReports reports, MeterRegistry registry, Duration maxAge) {
        this.reports = reports;
        this.maxAgeNanos = maxAge.toNanos();
        this.refreshedAt = System.nanoTime() - maxAgeNanos - 1;
        for (ShutdownOutcome outcome : ShutdownOutcome.values()) {
            counts.put(outcome, 0L);
            FunctionCounter.builder("quiesce.shutdown.reports", this, counters -> counters.count(outcome))
                    .description("Shutdown reports of the whole fleet by outcome (from the database, cached "
                            + MAX_AGE.toSeconds() + "s)")
                    .tag("outcome", outcome.tag()).register(registry);
        }
    }

    synchronized long count(ShutdownOutcome outcome) {
        if (System.nanoTime() - refreshedAt > maxAgeNanos) {
            refreshedAt = System.nanoTime();
            try {
                counts.putAll(reports.countByOutcome());
                if (failing) {
                    log.info("Counting shutdown reports works again");
                }
                failing = false;
            } catch (RuntimeException e) {
                if (!failing) {
                    log.warn("Cannot count shutdown reports, reporting the last known counts: {}", e.toString());
                }
                failing = true;
            }
        }
        return counts.getOrDefault(outcome, 0L);
    }
}

package dev.quiesce.shutdown;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code quiesce_shutdown_reports_total{outcome}}: read from the table, cached, never breaking a scrape. */
class ShutdownReportCountersTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final FakeReports reports = new FakeReports();
    /** Held: a function counter holds its object weakly, and in the service the bean is held by its context. */
    private ShutdownReportCounters counters;

    @Test
    void everyOutcomeIsACounterAtZeroFromStartUp() {
        counters = new ShutdownReportCounters(reports, registry);

        String scrape = registry.scrape();

        assertThat(scrape).contains("# TYPE quiesce_shutdown_reports_total counter");
        for (String outcome : List.of("clean", "leaky", "overran")) {
            assertThat(scrape).contains("quiesce_shutdown_reports_total{outcome=\"" + outcome + "\"} 0.0");
        }
    }

    @Test
    void theCountersShowTheTablesCountsAndQueryItOnceWithinTheMaximumAge() {
        reports.counts.put(ShutdownOutcome.CLEAN, 7L);
        reports.counts.put(ShutdownOutcome.OVERRAN, 1L);
        counters = new ShutdownReportCounters(reports, registry);

        String scrape = registry.scrape();
        registry.scrape();

        assertThat(scrape).contains("quiesce_shutdown_reports_total{outcome=\"clean\"} 7.0",
                "quiesce_shutdown_reports_total{outcome=\"leaky\"} 0.0",
                "quiesce_shutdown_reports_total{outcome=\"overran\"} 1.0");
        assertThat(reports.queries.get()).as("queries for two scrapes of three series within %s", ShutdownReportCounters.MAX_AGE)
                .isEqualTo(1);
    }

    @Test
    void aFailingDatabaseKeepsTheLastKnownCounts() {
        reports.counts.put(ShutdownOutcome.LEAKY, 2L);
        counters = new ShutdownReportCounters(reports, registry, Duration.ofMillis(50));
        assertThat(count("leaky")).isEqualTo(2.0);

        reports.failing = true;
        int before = reports.queries.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> count("leaky") >= 0 && reports.queries.get() > before + 1);

        assertThat(count("leaky")).isEqualTo(2.0);
        reports.failing = false;
        reports.counts.put(ShutdownOutcome.LEAKY, 3L);
        await().atMost(Duration.ofSeconds(10)).until(() -> count("leaky") == 3.0);
    }

    private double count(String outcome) {
        return registry.get("quiesce.shutdown.reports").tag("outcome", outcome).functionCounter().count();
    }

    /** The table, as counts that a test sets; fails on demand like a database that went away. */
    private static final class FakeReports implements ShutdownReports {
        final Map<ShutdownOutcome, Long> counts = new EnumMap<>(Map.of(
                ShutdownOutcome.CLEAN, 0L, ShutdownOutcome.LEAKY, 0L, ShutdownOutcome.OVERRAN, 0L));
        final AtomicInteger queries = new AtomicInteger();
        volatile boolean failing;

        @Override
        public void save(ShutdownReport report) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<ShutdownReport> latest(int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public synchronized Map<ShutdownOutcome, Long> countByOutcome() {
            queries.incrementAndGet();
            if (failing) {
                throw new IllegalStateException("connection refused");
            }
            return new EnumMap<>(counts);
        }
    }
}

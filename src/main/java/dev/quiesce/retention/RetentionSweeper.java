package dev.quiesce.retention;

import io.micrometer.core.instrument.Counter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One sweep over the history: deletes finished jobs, dead {@code workers} rows and shutdown reports older than their
 * retention ({@link RetentionProperties}), batch after batch until a batch comes back short, with a pause between
 * batches and a stop check before each. Safe to run on every instance at once (see {@link SweepDialect}); a batch is
 * one short transaction, so a stop, a failure or a kill in the middle leaves nothing half done. Never touches
 * {@code QUEUED} or {@code RUNNING} jobs.
 */
final class RetentionSweeper {

    /** Bounds each statement: a sweep must not hold a connection for long whatever the database does. */
    static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(30);

    /** Waits between batches (zero: only asks); returns false when the sweep must stop instead. */
    @FunctionalInterface
    interface Pause {
        boolean await(Duration pause);
    }

    private final RetentionProperties properties;
    private final RetentionMetrics metrics;
    private final Map<String, List<OldRows.Batch>> targets = new LinkedHashMap<>();

    RetentionSweeper(DataSource dataSource, RetentionProperties properties, RetentionMetrics metrics) {
        this.properties = properties;
        this.metrics = metrics;
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        jdbc.setQueryTimeout((int) STATEMENT_TIMEOUT.toSeconds());
        OldRows rows = new OldRows(jdbc, new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
                SweepDialect.of(dataSource));
        List<OldRows.Batch> jobs = new ArrayList<>();
        keep(jobs, properties.succeeded(), retention -> rows.jobs("SUCCEEDED", retention));
        keep(jobs, properties.failed(), retention -> rows.jobs("FAILED", retention));
        keep(jobs, properties.cancelled(), retention -> rows.jobs("CANCELLED", retention));
        List<OldRows.Batch> workers = new ArrayList<>();
        keep(workers, properties.workers(), rows::workers);
        List<OldRows.Batch> reports = new ArrayList<>();
        for (String outcome : List.of("clean", "leaky", "overran")) {
            keep(reports, properties.shutdownReports(), retention -> rows.shutdownReports(outcome, retention));
        }
        targets.put(RetentionMetrics.JOBS, jobs);
        targets.put(RetentionMetrics.WORKERS, workers);
        targets.put(RetentionMetrics.SHUTDOWN_REPORTS, reports);
    }

    /** Whether any retention is set at all (else there is nothing to schedule). */
    boolean deletesAnything() {
        return targets.values().stream().anyMatch(batches -> !batches.isEmpty());
    }

    /**
     * Sweeps every table once. {@code pause} is called between batches (and ends the sweep early by returning false).
     * Throws the database's {@code DataAccessException} if a batch fails; the batches before it stay deleted and
     * counted.
     */
    SweepResult sweep(Pause pause) {
        Map<String, Long> deleted = new LinkedHashMap<>();
        int largest = 0;
        boolean complete = true;
        outer:
        for (Map.Entry<String, List<OldRows.Batch>> target : targets.entrySet()) {
            Counter counter = metrics.counter(target.getKey());
            long total = 0;
            for (OldRows.Batch batch : target.getValue()) {
                if (!pause.await(Duration.ZERO)) {
                    complete = false;
                    deleted.put(target.getKey(), total);
                    break outer;
                }
                while (true) {
                    int n = batch.delete(properties.batchSize());
                    counter.increment(n);
                    total += n;
                    largest = Math.max(largest, n);
                    if (n < properties.batchSize()) {
                        break;
                    }
                    if (!pause.await(properties.batchPause())) {
                        complete = false;
                        deleted.put(target.getKey(), total);
                        break outer;
                    }
                }
            }
            deleted.put(target.getKey(), total);
        }
        return new SweepResult(deleted.getOrDefault(RetentionMetrics.JOBS, 0L), deleted.getOrDefault(RetentionMetrics.WORKERS, 0L),
                deleted.getOrDefault(RetentionMetrics.SHUTDOWN_REPORTS, 0L), largest, complete);
    }

    private static void keep(List<OldRows.Batch> batches, Duration retention,
                             java.util.function.Function<Duration, OldRows.Batch> batch) {
        if (!RetentionProperties.keepsForever(retention)) {
            batches.add(batch.apply(retention));
        }
    }
}

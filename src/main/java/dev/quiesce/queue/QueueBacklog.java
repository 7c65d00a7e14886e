package dev.quiesce.queue;

import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the live part of the queue for its gauges: how many jobs are {@code QUEUED} and {@code RUNNING}, and per type
 * how long the oldest ready job (queued, {@code run_at} passed) has waited, by the database's clock. One statement
 * that reads only queued and running rows, through the indexes that lead with their state ({@code jobs_claim} and
 * {@code jobs_running_owner}, partial on PostgreSQL): its cost follows the backlog, never the finished history.
 * Each state is its own branch with the state as a literal, so PostgreSQL can match each to its partial index.
 */
final class QueueBacklog {

    /** Bounds the statement: it runs during a metrics scrape. */
    static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(2);

    static final String BACKLOG = """
            SELECT 'QUEUED' AS state, type, COUNT(*) AS jobs,
                   MIN(CASE WHEN run_at <= CURRENT_TIMESTAMP THEN run_at END) AS oldest_ready, CURRENT_TIMESTAMP AS db_now
            FROM jobs WHERE state = 'QUEUED' GROUP BY type
            UNION ALL
            SELECT 'RUNNING' AS state, type, COUNT(*) AS jobs, NULL AS oldest_ready, CURRENT_TIMESTAMP AS db_now
            FROM jobs WHERE state = 'RUNNING' GROUP BY type""";

    /**
     * @param lag per job type that has a ready job, how long the oldest one has been ready; types without one are absent
     */
    record Snapshot(long queued, long running, Map<String, Duration> lag) {
        static final Snapshot EMPTY = new Snapshot(0, 0, Map.of());
    }

    private final JdbcTemplate jdbc;

    QueueBacklog(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        jdbc.setQueryTimeout((int) STATEMENT_TIMEOUT.toSeconds());
    }

    Snapshot read() {
        long[] counts = new long[2];
        Map<String, Duration> lag = new HashMap<>();
        jdbc.query(BACKLOG, rs -> {
            boolean queued = "QUEUED".equals(rs.getString("state"));
            counts[queued ? 0 : 1] += rs.getLong("jobs");
            Timestamp oldest = rs.getTimestamp("oldest_ready");
            if (queued && oldest != null) {
                Duration waited = Duration.between(oldest.toInstant(), rs.getTimestamp("db_now").toInstant());
                lag.put(rs.getString("type"), waited.isNegative() ? Duration.ZERO : waited);
            }
        });
        return new Snapshot(counts[0], counts[1], Map.copyOf(lag));
    }
}

package dev.quiesce.shutdown;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

import javax.sql.DataSource;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code shutdown_reports} table, shared by the whole fleet: one row per stop, the report as JSON
 * ({@link ShutdownReportJson}) beside the columns queries need. The retention sweep deletes old rows
 * ({@code quiesce.retention.shutdown-reports}) and adds them to {@code shutdown_reports_pruned}, so counts only grow.
 *
 * <p>Every statement is bounded by {@link #STATEMENT_TIMEOUT}: {@link #save} runs in the last shutdown phase,
 * whose slice is only the margin, and the reads serve a metrics scrape and the actuator. (Getting a connection
 * from the pool is bounded by the pool's own {@code connection-timeout}.)
 */
@Repository
public class JdbcShutdownReports implements ShutdownReports {

    static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(2);
    private static final Logger log = LoggerFactory.getLogger(JdbcShutdownReports.class);

    private final JdbcClient sql;
    private final ShutdownReportJson json;

    public JdbcShutdownReports(DataSource dataSource, JsonMapper mapper) {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        jdbc.setQueryTimeout((int) STATEMENT_TIMEOUT.toSeconds());
        this.sql = JdbcClient.create(jdbc);
        this.json = new ShutdownReportJson(mapper);
    }

    /**
     * One INSERT. Throws the database's {@code DataAccessException} when it fails (unreachable, timed out): the
     * caller logs it — the report's log line and termination message do not depend on the table.
     */
    @Override
    public void save(ShutdownReport report) {
        sql.sql("""
                        INSERT INTO shutdown_reports (instance_id, instance_name, outcome, started_at, finished_at, took_ms, report)
                        VALUES (?, ?, ?, ?, ?, ?, ?)""")
                .params(report.instanceId(), report.instanceName(), report.outcome().tag(),
                        utc(report.startedAt()), utc(report.startedAt().plus(report.took())), report.took().toMillis(),
                        json.write(report))
                .update();
    }

    /** Newest first; a row whose JSON cannot be read is left out and named in the log, not fatal to the others. */
    @Override
    public List<ShutdownReport> latest(int limit) {
        List<ShutdownReport> latest = new ArrayList<>();
        sql.sql("SELECT id, report FROM shutdown_reports ORDER BY finished_at DESC, id DESC LIMIT ?")
                .param(limit)
                .query(rs -> {
                    try {
                        latest.add(json.read(rs.getString("report")));
                    } catch (RuntimeException e) {
                        log.warn("Skipping shutdown_reports row {}: its report cannot be read ({})", rs.getLong("id"), e.toString());
                    }
                });
        return latest;
    }

    @Override
    public Map<ShutdownOutcome, Long> countByOutcome() {
        Map<ShutdownOutcome, Long> counts = new EnumMap<>(ShutdownOutcome.class);
        for (ShutdownOutcome outcome : ShutdownOutcome.values()) {
            counts.put(outcome, 0L);
        }
        // One statement, so one snapshot: a sweep that deletes reports adds them to shutdown_reports_pruned in the same
        // transaction, and this sum sees both sides of it or neither.
        sql.sql("""
                        SELECT outcome, SUM(reports) AS reports FROM (
                            SELECT outcome, COUNT(*) AS reports FROM shutdown_reports GROUP BY outcome
                            UNION ALL SELECT outcome, reports FROM shutdown_reports_pruned) counted
                        GROUP BY outcome""")
                .query(rs -> {
                    counts.put(ShutdownOutcome.ofTag(rs.getString("outcome")), rs.getLong("reports"));
                });
        return counts;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}

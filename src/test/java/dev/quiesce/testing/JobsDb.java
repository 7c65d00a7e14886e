package dev.quiesce.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads a service's database with plain JDBC after the service exited: the ground truth of job states that no
 * API of a restarted instance has touched yet. The embedded H2 of a data directory opens read-only, and only
 * while no instance runs on the directory; any other database (the benchmark's PostgreSQL) through its URL.
 * Timestamps are the ones the service wrote with the database clock ({@code CURRENT_TIMESTAMP}: for H2 the
 * service JVM's wall clock, for PostgreSQL the server's).
 */
public final class JobsDb implements AutoCloseable {

    private final Connection connection;

    private JobsDb(Connection connection) {
        this.connection = connection;
    }

    /** The embedded H2 database of {@code dataDir}, read-only; fails if there is none. */
    public static JobsDb open(Path dataDir) {
        return connect("jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("quiesce") + ";ACCESS_MODE_DATA=r;IFEXISTS=TRUE",
                "sa", "");
    }

    public static JobsDb connect(String url, String user, String password) {
        try {
            return new JobsDb(DriverManager.getConnection(url, user, password));
        } catch (SQLException e) {
            throw new AssertionError("cannot open " + url + ": " + e, e);
        }
    }

    /** Every job, by id. */
    public List<JobRow> jobs() {
        return query("SELECT id, type, state, priority, attempts, interruptions, crashes, owner, last_error, started_at,"
                        + " finished_at FROM jobs ORDER BY id",
                rs -> new JobRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getInt(5),
                        rs.getInt(6), rs.getInt(7), rs.getString(8), rs.getString(9), instant(rs, 10), instant(rs, 11)));
    }

    public Map<Long, JobRow> jobsById() {
        return jobs().stream().collect(Collectors.toMap(JobRow::id, Function.identity()));
    }

    /** How many jobs are in each state (only the states that occur). */
    public Map<String, Long> states() {
        Map<String, Long> states = new LinkedHashMap<>();
        query("SELECT state, COUNT(*) FROM jobs GROUP BY state ORDER BY state", rs -> states.put(rs.getString(1), rs.getLong(2)));
        return states;
    }

    /** The {@code state} of every row of the {@code workers} table (one per incarnation). */
    public List<String> workerStates() {
        return query("SELECT state FROM workers", rs -> rs.getString(1));
    }

    /** Every stored shutdown report, oldest first: its outcome and its whole JSON. */
    public List<ReportRow> shutdownReports() {
        return query("SELECT outcome, report FROM shutdown_reports ORDER BY id", rs -> new ReportRow(rs.getString(1), rs.getString(2)));
    }

    /** The span of the succeeded jobs (a throughput run: all due at the same run_at). */
    public Span succeededSpan() {
        return query("SELECT MIN(run_at), MAX(run_at), MIN(started_at), MAX(started_at), MIN(finished_at), MAX(finished_at)"
                        + " FROM jobs WHERE state = 'SUCCEEDED'",
                rs -> new Span(instant(rs, 1), instant(rs, 2), instant(rs, 3), instant(rs, 4), instant(rs, 5), instant(rs, 6)))
                .getFirst();
    }

    /**
     * How many claim and settle transactions the succeeded jobs took: the service stamps started_at (claim) and
     * finished_at (settle) with CURRENT_TIMESTAMP, which both databases fix per transaction, so distinct values
     * ≈ transactions.
     */
    public Transactions succeededTransactions() {
        return query("SELECT COUNT(DISTINCT started_at), COUNT(DISTINCT finished_at) FROM jobs WHERE state = 'SUCCEEDED'",
                rs -> new Transactions(rs.getLong(1), rs.getLong(2))).getFirst();
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new AssertionError("closing the database failed", e);
        }
    }

    private <T> List<T> query(String sql, Row<T> row) {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            List<T> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(row.map(rs));
            }
            return rows;
        } catch (SQLException e) {
            throw new AssertionError(sql + " failed: " + e, e);
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    private interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    public record ReportRow(String outcome, String json) {
    }

    /** One job as stored; the times are null until the job started or finished. */
    public record JobRow(long id, String type, String state, int priority, int attempts, int interruptions, int crashes,
                         String owner, String lastError, Instant startedAt, Instant finishedAt) {
    }

    public record Span(Instant minRunAt, Instant maxRunAt, Instant minStartedAt, Instant maxStartedAt,
                       Instant minFinishedAt, Instant maxFinishedAt) {
    }

    public record Transactions(long claims, long settles) {
    }
}

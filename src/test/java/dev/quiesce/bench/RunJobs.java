package dev.quiesce.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The jobs of one throughput run, read with plain JDBC after the service exited: those with an id above
 * {@code afterId} (0: all), so that a table holding a history (the history scenario) is measured on the run's jobs
 * alone. Timestamps are the database clock's, as the service wrote them (see {@code JobsDb}).
 */
final class RunJobs implements AutoCloseable {

    private final Connection connection;
    private final long afterId;

    private RunJobs(Connection connection, long afterId) {
        this.connection = connection;
        this.afterId = afterId;
    }

    /** The embedded H2 database of {@code dataDir}, read-only. */
    static RunJobs h2(Path dataDir) {
        try {
            return new RunJobs(DriverManager.getConnection("jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("quiesce")
                    + ";ACCESS_MODE_DATA=r;IFEXISTS=TRUE", "sa", ""), 0);
        } catch (SQLException e) {
            throw new BenchFailure("cannot open the H2 database of " + dataDir + ": " + e.getMessage(), e);
        }
    }

    static RunJobs postgres(BenchDatabase db, long afterId) {
        try {
            return new RunJobs(db.connect(), afterId);
        } catch (SQLException e) {
            throw new BenchFailure("cannot open " + db.url() + ": " + e.getMessage(), e);
        }
    }

    /** How many of the run's jobs are in each state (only the states that occur). */
    Map<String, Long> states() {
        Map<String, Long> states = new LinkedHashMap<>();
        query("SELECT state, COUNT(*) FROM jobs WHERE id > ? GROUP BY state ORDER BY state", rs -> states.put(rs.getString(1), rs.getLong(2)));
        return states;
    }

    /** Up to five jobs of the run that did not succeed: id, state, last error. */
    List<String> notSucceeded() {
        return query("SELECT id, state, last_error FROM jobs WHERE id > ? AND state <> 'SUCCEEDED' ORDER BY id LIMIT 5",
                rs -> rs.getLong(1) + " " + rs.getString(2) + " " + rs.getString(3));
    }

    /** The span of the run's succeeded jobs (all due at the same run_at). */
    Span span() {
        return query("SELECT MIN(run_at), MAX(run_at), MIN(started_at), MAX(finished_at) FROM jobs WHERE id > ? AND state = 'SUCCEEDED'",
                rs -> new Span(instant(rs, 1), instant(rs, 2), instant(rs, 3), instant(rs, 4))).getFirst();
    }

    /**
     * Claim and settle transactions of the run's succeeded jobs: distinct started_at and finished_at values
     * ({@code CURRENT_TIMESTAMP} is fixed per transaction on both databases).
     */
    Transactions transactions() {
        return query("SELECT COUNT(DISTINCT started_at), COUNT(DISTINCT finished_at) FROM jobs WHERE id > ? AND state = 'SUCCEEDED'",
                rs -> new Transactions(rs.getLong(1), rs.getLong(2))).getFirst();
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // read-only use: nothing to lose
        }
    }

    private <T> List<T> query(String sql, Row<T> row) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, afterId);
            try (ResultSet rs = statement.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(row.map(rs));
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new BenchFailure(sql + " failed: " + e.getMessage(), e);
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    private interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    record Span(Instant minRunAt, Instant maxRunAt, Instant minStartedAt, Instant maxFinishedAt) {
    }

    record Transactions(long claims, long settles) {
    }
}

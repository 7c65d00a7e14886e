package dev.quiesce.process;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads the service's embedded H2 database after the service exited: the ground truth of job states that no
 * API of a restarted instance has touched yet. Open it only while no instance runs on the directory.
 */
public final class JobsDb implements AutoCloseable {

    private final Connection connection;

    private JobsDb(Connection connection) {
        this.connection = connection;
    }

    public static JobsDb open(Path dataDir) {
        String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("quiesce") + ";ACCESS_MODE_DATA=r;IFEXISTS=TRUE";
        try {
            return new JobsDb(DriverManager.getConnection(url, "sa", ""));
        } catch (SQLException e) {
            throw new AssertionError("cannot open " + url + ": " + e, e);
        }
    }

    public List<JobRow> jobs() {
        return query("SELECT id, type, state, priority, attempts, interruptions, crashes, owner FROM jobs ORDER BY id",
                rs -> new JobRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getInt(5),
                        rs.getInt(6), rs.getInt(7), rs.getString(8)));
    }

    Map<Long, JobRow> jobsById() {
        return jobs().stream().collect(Collectors.toMap(JobRow::id, Function.identity()));
    }

    /** The {@code state} of every row of the {@code workers} table (one per incarnation). */
    public List<String> workerStates() {
        return query("SELECT state FROM workers", rs -> rs.getString(1));
    }

    /** Every stored shutdown report, oldest first: its outcome and its whole JSON. */
    public List<ReportRow> shutdownReports() {
        return query("SELECT outcome, report FROM shutdown_reports ORDER BY id", rs -> new ReportRow(rs.getString(1), rs.getString(2)));
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

    private interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    public record ReportRow(String outcome, String json) {
    }

    public record JobRow(long id, String type, String state, int priority, int attempts, int interruptions, int crashes,
                  String owner) {
    }
}

package dev.quiesce.bench;

import dev.quiesce.testing.JobsDb;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The PostgreSQL database the throughput benchmark runs against: whether it can be used, emptied before each run,
 * and read (through {@link JobsDb}) after the service exited.
 */
record BenchDatabase(String url, String user, String password) {

    /** Why the database cannot be used, or null if it can. */
    String problem() {
        try (Connection ignored = DriverManager.getConnection(url, user, password)) {
            return null;
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    /**
     * Drops every table of schema {@code public}, so the service's Flyway migrates a fresh schema. Refuses a
     * database whose name does not contain "bench": this must never empty a database someone works with.
     */
    void reset() {
        String database = url.replaceFirst("^.*/", "").replaceFirst("\\?.*$", "");
        if (!database.contains("bench")) {
            throw new BenchFailure("refusing to drop the tables of " + url + ": the benchmark database's name must contain 'bench'");
        }
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                s.execute("DROP TABLE IF EXISTS public.\"" + table + "\" CASCADE");
            }
        } catch (SQLException e) {
            throw new BenchFailure("could not reset " + url + ": " + e.getMessage(), e);
        }
    }

    JobsDb open() {
        return JobsDb.connect(url, user, password);
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /**
     * Inserts {@code count} finished ({@code SUCCEEDED}) {@code sleep} jobs straight into the migrated {@code jobs}
     * table, as a month of history (one every 2.5 s, each run and finished in the same second), then
     * {@code VACUUM ANALYZE}s it. Returns the highest id: the jobs of the run come after it.
     */
    long insertHistory(int count) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO jobs (type, state, payload, priority, attempts, max_attempts, owner, result, created_at, run_at,"
                    + " started_at, finished_at)"
                    + " SELECT 'sleep', 'SUCCEEDED', '{\"ms\":0}', 0, 1, 3, 'history', NULL, t, t, t, t"
                    + " FROM (SELECT now() - interval '30 days' + g * interval '2500 milliseconds' AS t"
                    + " FROM generate_series(1, " + count + ") AS g) AS history");
            s.execute("VACUUM ANALYZE jobs");
            try (ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(id), 0) FROM jobs")) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new BenchFailure("could not insert " + count + " history jobs into " + url + ": " + e.getMessage(), e);
        }
    }
}

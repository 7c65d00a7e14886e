package dev.quiesce.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The database a run used, read with plain JDBC after the service exited (H2: the file in the data directory;
 * PostgreSQL: the benchmark database). Timestamps are the ones the service wrote with the database clock
 * ({@code CURRENT_TIMESTAMP}: for H2 the service JVM's wall clock, for PostgreSQL the server's; both this machine).
 */
record JobsDb(String url, String user, String password) {

    static JobsDb h2(Path dataDir) {
        return new JobsDb("jdbc:h2:file:" + dataDir.resolve("quiesce"), "sa", "");
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /** Job counts per state. */
    Map<String, Long> states() {
        Map<String, Long> states = new LinkedHashMap<>();
        query("SELECT state, COUNT(*) FROM jobs GROUP BY state ORDER BY state", rs -> states.put(rs.getString(1), rs.getLong(2)));
        return states;
    }

    /** The span of a run's succeeded jobs: min/max of run_at, started_at, finished_at, in epoch microseconds. */
    record Span(long minRunAt, long maxRunAt, long minStartedAt, long maxStartedAt, long minFinishedAt, long maxFinishedAt) {
    }

    Span span() {
        Span[] span = new Span[1];
        query("SELECT MIN(run_at), MAX(run_at), MIN(started_at), MAX(started_at), MIN(finished_at), MAX(finished_at) FROM jobs"
                        + " WHERE state = 'SUCCEEDED'",
                rs -> span[0] = new Span(micros(rs, 1), micros(rs, 2), micros(rs, 3), micros(rs, 4), micros(rs, 5), micros(rs, 6)));
        return span[0];
    }

    /**
     * How many claim and settle transactions the run took: the service stamps started_at (claim) and finished_at
     * (settle) with CURRENT_TIMESTAMP, which both databases fix per transaction, so distinct values ≈ transactions.
     */
    record Transactions(long claims, long settles) {
    }

    Transactions transactions() {
        Transactions[] t = new Transactions[1];
        query("SELECT COUNT(DISTINCT started_at), COUNT(DISTINCT finished_at) FROM jobs WHERE state = 'SUCCEEDED'",
                rs -> t[0] = new Transactions(rs.getLong(1), rs.getLong(2)));
        return t[0];
    }

    /** One job's timestamps (epoch microseconds; -1 for null). */
    record Times(long id, String state, long startedAt, long finishedAt) {
    }

    List<Times> times() {
        List<Times> times = new ArrayList<>();
        query("SELECT id, state, started_at, finished_at FROM jobs ORDER BY id",
                rs -> times.add(new Times(rs.getLong(1), rs.getString(2), micros(rs, 3), micros(rs, 4))));
        return times;
    }

    /** The first few jobs not in {@code state}, for a loud failure message. */
    List<String> examplesNotIn(String state, int limit) {
        List<String> examples = new ArrayList<>();
        query("SELECT id, type, state, attempts, last_error FROM jobs WHERE state <> '" + state + "' ORDER BY id",
                rs -> {
                    if (examples.size() < limit) {
                        examples.add("job " + rs.getLong(1) + " " + rs.getString(2) + " " + rs.getString(3)
                                + " attempts=" + rs.getInt(4) + " lastError=" + rs.getString(5));
                    }
                });
        return examples;
    }

    /**
     * Empties the benchmark PostgreSQL database (drops every table of schema {@code public}, so the service's
     * Flyway migrates a fresh schema). Refuses a database whose name does not contain "bench".
     */
    void resetPostgres() {
        String database = url.replaceFirst("^.*/", "").replaceFirst("\\?.*$", "");
        if (!database.contains("bench")) {
            throw new BenchFailure("refusing to drop the tables of " + url + ": the benchmark database's name must contain 'bench'");
        }
        try (Connection c = connect(); Statement s = c.createStatement()) {
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

    interface Row {
        void accept(ResultSet rs) throws SQLException;
    }

    void query(String sql, Row row) {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                row.accept(rs);
            }
        } catch (SQLException e) {
            throw new BenchFailure("query failed on " + url + ": " + sql + ": " + e.getMessage(), e);
        }
    }

    private static long micros(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        if (t == null) {
            return -1;
        }
        return t.toEpochSecond() * 1_000_000L + t.getNano() / 1_000;
    }
}

package dev.quiesce.queue;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ResultSetExtractor;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The few places where H2 and PostgreSQL spell the same queue operation differently. Everything else in
 * the queue's SQL is common; keep it that way so that both databases behave the same (DESIGN §3).
 */
enum SqlDialect {

    H2 {
        @Override
        String plusMillis(String timestamp, String millis) {
            return "DATEADD(MILLISECOND, CAST(" + millis + " AS BIGINT), " + timestamp + ")";
        }

        @Override
        String returning(String dml, String columns) {
            return "SELECT " + columns + " FROM FINAL TABLE (" + dml + ")";
        }

        @Override
        boolean claimsInOneStatement() {
            // H2's SELECT ... FOR UPDATE locks every matching row before the LIMIT: see JobClaimer.
            return false;
        }
    },

    POSTGRESQL {
        @Override
        String plusMillis(String timestamp, String millis) {
            return "(" + timestamp + " + CAST(" + millis + " AS BIGINT) * INTERVAL '1 millisecond')";
        }

        @Override
        String returning(String dml, String columns) {
            return dml + " RETURNING " + columns;
        }

        @Override
        boolean claimsInOneStatement() {
            return true;
        }

        @Override
        boolean writesRowsAsArrays() {
            return true;
        }

        @Override
        void prepareTransaction(JdbcClient sql, boolean relaxDurability, boolean claims) {
            List<String> settings = new ArrayList<>();
            if (relaxDurability) {
                settings.add("set_config('synchronous_commit', 'off', true)");
            }
            if (claims) {
                // The claim must read the head of jobs_claim in order and stop at its LIMIT. With statistics that say
                // few queued rows are ready (the table was analyzed while its backlog was scheduled for later, or
                // while it held only finished jobs), the planner rather fetches every queued row and sorts them:
                // measured 2026-12-06, 6-17 ms per claim with 20,000 queued, growing with the backlog. With sorts
                // disabled for this transaction, the ordered index scan is the only cheap plan whatever the
                // statistics say (QueuePlansPostgresTest).
                settings.add("set_config('enable_sort', 'off', true)");
            }
            if (!settings.isEmpty()) {
                sql.sql("SELECT " + String.join(", ", settings)).query().singleRow();
            }
        }

        @Override
        void notifyJobsReady(JdbcTemplate jdbc) {
            jdbc.query("SELECT pg_notify(?, '')", (ResultSetExtractor<Void>) rs -> null, JobsEnqueued.CHANNEL);
        }
    };

    /** SQL for {@code timestamp} plus {@code millis} milliseconds (a parameter or an integer expression). */
    abstract String plusMillis(String timestamp, String millis);

    /** Wraps an INSERT or UPDATE so that it returns these columns of the rows it wrote, in one round trip. */
    abstract String returning(String dml, String columns);

    /** {@link #returning} with every column, as {@link JobRowMapper} reads them. */
    final String returningAll(String dml) {
        return returning(dml, "*");
    }

    /**
     * Sets up the current transaction, in one round trip at most, where the database has such settings (PostgreSQL).
     *
     * @param relaxDurability commit without waiting for the WAL to reach the disk: for writes that may be lost in a
     *                        database crash without losing a job
     * @param claims          the transaction claims jobs: plan the claim so that its cost does not depend on statistics
     */
    void prepareTransaction(JdbcClient sql, boolean relaxDurability, boolean claims) {
    }

    /**
     * Tells the other instances, once the current transaction commits, that jobs are ready (PostgreSQL: NOTIFY on
     * {@link JobsEnqueued#CHANNEL}; H2 has no other instance). For rare writes only: a NOTIFY in a transaction
     * serializes its commit with every other notifying one.
     */
    void notifyJobsReady(JdbcTemplate jdbc) {
    }

    /**
     * Whether many rows are written by one statement over arrays, {@code UPDATE ... FROM unnest(?::bigint[], ...)} or
     * {@code INSERT ... SELECT ... FROM unnest(...)} (PostgreSQL: a settlement costs about half a batch of one-row
     * updates, and an insert of 1,000 jobs is one short statement with six parameters instead of thousands; measured
     * 2026-12-06), rather than JDBC batches and multi-row VALUES (H2, embedded: no round trips to save, and H2 has no
     * {@code UPDATE ... FROM}).
     */
    boolean writesRowsAsArrays() {
        return false;
    }

    /** Whether the claim can lock and take its rows in one {@code UPDATE} with a {@code FOR UPDATE SKIP LOCKED} CTE. */
    abstract boolean claimsInOneStatement();

    static SqlDialect of(DataSource dataSource) {
        try {
            String product = JdbcUtils.extractDatabaseMetaData(dataSource, metaData -> metaData.getDatabaseProductName());
            return of(product);
        } catch (MetaDataAccessException e) {
            throw new IllegalStateException("Cannot tell which database the job queue runs on", e);
        }
    }

    static SqlDialect of(String productName) {
        String product = productName == null ? "" : productName.toLowerCase(Locale.ROOT);
        if (product.contains("h2")) {
            return H2;
        }
        if (product.contains("postgres")) {
            return POSTGRESQL;
        }
        throw new IllegalStateException("The job queue supports H2 and PostgreSQL, not '" + productName + "'");
    }
}

package dev.quiesce.queue;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ResultSetExtractor;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

import javax.sql.DataSource;
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
        void relaxCommitDurability(JdbcClient sql) {
            sql.sql("SET LOCAL synchronous_commit TO OFF").update();
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
     * Lets the current transaction commit without waiting for its WAL to reach the disk, where the database
     * supports it. For writes that may be lost in a database crash without losing a job.
     */
    void relaxCommitDurability(JdbcClient sql) {
    }

    /**
     * Tells the other instances, once the current transaction commits, that jobs are ready (PostgreSQL: NOTIFY on
     * {@link JobsEnqueued#CHANNEL}; H2 has no other instance). For rare writes only: a NOTIFY in a transaction
     * serializes its commit with every other notifying one.
     */
    void notifyJobsReady(JdbcTemplate jdbc) {
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

package dev.quiesce.retention;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The SQL that deletes one batch of rows older than their retention, per table: finished jobs of one state, dead
 * {@code workers} rows, shutdown reports of one outcome. Each batch is one transaction of at most {@code limit}
 * rows, and reports the rows it deleted itself, so concurrent sweepers never count a row twice. Ages are compared
 * with the database's clock. States and outcomes are literals in the SQL, never parameters: PostgreSQL can use a
 * partial index ({@code jobs_finished}) only for a predicate it can read.
 */
final class OldRows {

    /** Deletes up to {@code limit} rows; returns how many it deleted. */
    @FunctionalInterface
    interface Batch {
        int delete(int limit);
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final SweepDialect dialect;

    OldRows(JdbcTemplate jdbc, TransactionTemplate transactions, SweepDialect dialect) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.dialect = dialect;
    }

    /** Jobs in the terminal {@code state} that finished more than {@code retention} ago, oldest first. */
    Batch jobs(String state, Duration retention) {
        String old = "state = '" + state + "' AND finished_at < " + dialect.before("?");
        if (dialect.locksBatchInOneStatement()) {
            String delete = "DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE " + old
                    + " ORDER BY finished_at LIMIT ? FOR UPDATE SKIP LOCKED)";
            return limit -> jdbc.update(delete, retention.toMillis(), limit);
        }
        // H2: the index is named, or H2 may walk jobs_state_newest through every finished job of the state.
        String select = "SELECT id FROM jobs USE INDEX (jobs_finished) WHERE finished_at < " + dialect.before("?")
                + " AND state = '" + state + "' ORDER BY finished_at LIMIT ?";
        return limit -> deleteListed(select, "DELETE FROM jobs WHERE state = '" + state + "' AND id IN ", List.of(), retention, limit);
    }

    /**
     * {@code workers} rows whose last heartbeat (a stopped instance's is its stop) is older than {@code retention},
     * unless the instance still holds a {@code RUNNING} job: the reclaim reads a missing row as a dead owner, so such
     * a row stays until its jobs are taken back.
     */
    Batch workers(Duration retention) {
        String old = "heartbeat_at < " + dialect.before("?")
                + " AND NOT EXISTS (SELECT 1 FROM jobs WHERE jobs.owner = workers.id AND jobs.state = 'RUNNING')";
        if (dialect.locksBatchInOneStatement()) {
            String delete = "DELETE FROM workers WHERE id IN (SELECT id FROM workers WHERE " + old
                    + " ORDER BY heartbeat_at LIMIT ? FOR UPDATE SKIP LOCKED)";
            return limit -> jdbc.update(delete, retention.toMillis(), limit);
        }
        String select = "SELECT id FROM workers WHERE " + old + " ORDER BY heartbeat_at LIMIT ?";
        // The whole condition again: the instance may have heartbeated or claimed since (a SIGSTOPped process resumed).
        String delete = "DELETE FROM workers WHERE " + old + " AND id IN ";
        return limit -> deleteListed(select, delete, List.of(retention.toMillis()), retention, limit);
    }

    /**
     * Shutdown reports of {@code outcome} written more than {@code retention} ago (their {@code finished_at} is the
     * writing instance's clock; seconds of skew do not matter against a retention of hours). The batch adds what it
     * deleted to {@code shutdown_reports_pruned} in the same transaction, so the fleet's report count never drops.
     */
    Batch shutdownReports(String outcome, Duration retention) {
        String tally = "UPDATE shutdown_reports_pruned SET reports = reports + ? WHERE outcome = '" + outcome + "'";
        String old = "outcome = '" + outcome + "' AND finished_at < " + dialect.before("?");
        Batch delete;
        if (dialect.locksBatchInOneStatement()) {
            String sql = "DELETE FROM shutdown_reports WHERE id IN (SELECT id FROM shutdown_reports WHERE " + old
                    + " ORDER BY finished_at LIMIT ? FOR UPDATE SKIP LOCKED)";
            delete = limit -> jdbc.update(sql, retention.toMillis(), limit);
        } else {
            String select = "SELECT id FROM shutdown_reports WHERE " + old + " ORDER BY finished_at LIMIT ?";
            delete = limit -> deleteListed(select, "DELETE FROM shutdown_reports WHERE id IN ", List.of(), retention, limit);
        }
        return limit -> {
            Integer deleted = transactions.execute(status -> {
                int n = delete.delete(limit);
                if (n > 0) {
                    jdbc.update(tally, n);
                }
                return n;
            });
            return deleted == null ? 0 : deleted;
        };
    }

    /**
     * H2: reads a batch of ids, then deletes those of them that {@code delete} (its parameters {@code deleteArgs},
     * ending in {@code id IN }) still matches.
     */
    private int deleteListed(String select, String delete, List<Object> deleteArgs, Duration retention, int limit) {
        List<Object> ids = jdbc.queryForList(select, Object.class, retention.toMillis(), limit);
        if (ids.isEmpty()) {
            return 0;
        }
        List<Object> args = new ArrayList<>(deleteArgs);
        args.addAll(ids);
        return jdbc.update(delete + "(" + String.join(", ", Collections.nCopies(ids.size(), "?")) + ")", args.toArray());
    }
}

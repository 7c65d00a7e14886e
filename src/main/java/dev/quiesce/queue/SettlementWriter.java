package dev.quiesce.queue;

import dev.quiesce.api.JobState;
import dev.quiesce.queue.JobQueue.Outcome;
import dev.quiesce.queue.JobQueue.Settlement;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes execution outcomes with one JDBC batch per kind of write, every row fenced on
 * {@code id, owner, state = 'RUNNING'}: an update count of 0 means the owner lost the job, and the outcome
 * is discarded. Where the new state depends on the row (a failure retries only while attempts remain; a
 * release of a job whose cancellation was requested cancels it), the row's own condition picks the batch:
 * the first batch's fence matches only the rows it should, and the rows it left are offered to the second.
 * Must run inside a transaction.
 */
final class SettlementWriter {

    /** {@code jobs.last_error} is {@code varchar(8000)}; a longer error (a stack trace) keeps its head. */
    static final int MAX_ERROR_CHARS = 8000;

    private static final String NOW = "CURRENT_TIMESTAMP";
    private static final String FENCE = " WHERE id = ? AND owner = ? AND state = 'RUNNING'";
    private static final String SUCCEED = "UPDATE jobs SET state = 'SUCCEEDED', result = ?, finished_at = " + NOW
            + ", lease_until = NULL" + FENCE;
    private static final String FAIL = "UPDATE jobs SET state = 'FAILED', last_error = ?, finished_at = " + NOW
            + ", lease_until = NULL" + FENCE;
    private static final String CANCEL = "UPDATE jobs SET state = 'CANCELLED', last_error = ?, finished_at = " + NOW
            + ", lease_until = NULL" + FENCE;
    private static final String RELEASE = "UPDATE jobs SET state = 'QUEUED', owner = NULL, lease_until = NULL,"
            + " attempts = attempts - 1, interruptions = interruptions + 1" + FENCE + " AND cancel_requested = FALSE";
    private static final String RETURN = "UPDATE jobs SET state = 'QUEUED', owner = NULL, lease_until = NULL,"
            + " attempts = attempts - 1" + FENCE + " AND cancel_requested = FALSE";
    private static final String RETURN_CANCELLED = "UPDATE jobs SET state = 'CANCELLED', lease_until = NULL,"
            + " attempts = attempts - 1, finished_at = " + NOW
            + ", last_error = 'cancelled: cancellation was requested before the job started'" + FENCE;
    private static final String RELEASE_CANCELLED = "UPDATE jobs SET state = 'CANCELLED', lease_until = NULL,"
            + " attempts = attempts - 1, interruptions = interruptions + 1, finished_at = " + NOW
            + ", last_error = 'cancelled: cancellation was requested before the job was released'" + FENCE;

    private final JdbcTemplate jdbc;
    private final String retry;
    private final String crashRetry;
    private final String crashFail;

    SettlementWriter(JdbcTemplate jdbc, SqlDialect dialect, int quarantineAfter) {
        this.jdbc = jdbc;
        // Back-off = retryBackoff * 2^(attempts - 1), capped; the exponent is capped too, because
        // PostgreSQL's power() raises an overflow error where H2 would return infinity.
        String backoff = "LEAST(CAST(? AS BIGINT) * POWER(2, LEAST(attempts - 1, 40)), CAST(? AS BIGINT))";
        // A job whose cancellation was requested is not retried: the client does not want it run again.
        this.retry = "UPDATE jobs SET state = 'QUEUED', owner = NULL, lease_until = NULL, last_error = ?, run_at = "
                + dialect.plusMillis(NOW, backoff) + FENCE + " AND attempts < max_attempts AND cancel_requested = FALSE";
        // A crash is retried like a failure, unless it is the job's quarantine-after'th: a poison pill must
        // not take down one worker after another forever.
        this.crashRetry = "UPDATE jobs SET state = 'QUEUED', owner = NULL, lease_until = NULL, crashes = crashes + 1,"
                + " last_error = ?, run_at = " + dialect.plusMillis(NOW, backoff) + FENCE
                + " AND attempts < max_attempts AND cancel_requested = FALSE AND crashes + 1 < " + quarantineAfter;
        this.crashFail = "UPDATE jobs SET state = 'FAILED', lease_until = NULL, crashes = crashes + 1, finished_at = " + NOW
                + ", last_error = CASE WHEN crashes + 1 >= " + quarantineAfter
                + " THEN CONCAT('quarantined: crashed its worker ', crashes + 1, ' times; last: ', ?) ELSE ? END" + FENCE;
    }

    List<Settlement> settle(String owner, List<Outcome> outcomes, long backoffMillis, long backoffMaxMillis) {
        // By identity: two equal outcomes in one call are two writes, and the second one is fenced.
        Map<Outcome, JobState> written = new IdentityHashMap<>();
        List<Outcome.Succeeded> succeeded = new ArrayList<>();
        List<Outcome.Failed> retryable = new ArrayList<>();
        List<Outcome.Failed> failed = new ArrayList<>();
        List<Outcome.Cancelled> cancelled = new ArrayList<>();
        List<Outcome.Released> released = new ArrayList<>();
        List<Outcome.Crashed> crashed = new ArrayList<>();
        List<Outcome.Returned> returned = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            switch (outcome) {
                case Outcome.Succeeded s -> succeeded.add(s);
                case Outcome.Failed f when f.retryable() -> retryable.add(f);
                case Outcome.Failed f -> failed.add(f);
                case Outcome.Cancelled c -> cancelled.add(c);
                case Outcome.Released r -> released.add(r);
                case Outcome.Crashed c -> crashed.add(c);
                case Outcome.Returned r -> returned.add(r);
            }
        }
        write(SUCCEED, succeeded, JobState.SUCCEEDED, written, (ps, s) -> {
            setNullable(ps, 1, s.result());
            fence(ps, 2, s.id(), owner);
        });
        List<Outcome.Failed> notRetried = write(retry, retryable, JobState.QUEUED, written, (ps, f) -> {
            setNullable(ps, 1, truncate(f.error()));
            ps.setLong(2, backoffMillis);
            ps.setLong(3, backoffMaxMillis);
            fence(ps, 4, f.id(), owner);
        });
        failed.addAll(notRetried);
        write(FAIL, failed, JobState.FAILED, written, (ps, f) -> {
            setNullable(ps, 1, truncate(f.error()));
            fence(ps, 2, f.id(), owner);
        });
        write(CANCEL, cancelled, JobState.CANCELLED, written, (ps, c) -> {
            setNullable(ps, 1, truncate(c.reason()));
            fence(ps, 2, c.id(), owner);
        });
        List<Outcome.Crashed> notRetriedCrashes = write(crashRetry, crashed, JobState.QUEUED, written, (ps, c) -> {
            setNullable(ps, 1, truncate(c.error()));
            ps.setLong(2, backoffMillis);
            ps.setLong(3, backoffMaxMillis);
            fence(ps, 4, c.id(), owner);
        });
        write(crashFail, notRetriedCrashes, JobState.FAILED, written, (ps, c) -> {
            setNullable(ps, 1, truncate(c.error()));
            setNullable(ps, 2, truncate(c.error()));
            fence(ps, 3, c.id(), owner);
        });
        List<Outcome.Released> cancelRequested = write(RELEASE, released, JobState.QUEUED, written,
                (ps, r) -> fence(ps, 1, r.id(), owner));
        write(RELEASE_CANCELLED, cancelRequested, JobState.CANCELLED, written, (ps, r) -> fence(ps, 1, r.id(), owner));
        List<Outcome.Returned> returnCancelled = write(RETURN, returned, JobState.QUEUED, written,
                (ps, r) -> fence(ps, 1, r.id(), owner));
        write(RETURN_CANCELLED, returnCancelled, JobState.CANCELLED, written, (ps, r) -> fence(ps, 1, r.id(), owner));

        return outcomes.stream()
                .map(o -> written.containsKey(o) ? new Settlement(o, written.get(o), false) : Settlement.fenced(o))
                .toList();
    }

    /** Runs one batch; records the rows it wrote and returns the ones it did not (fenced off). */
    private <T extends Outcome> List<T> write(String sql, List<T> rows, JobState newState, Map<Outcome, JobState> written,
                                              Binder<T> binder) {
        if (rows.isEmpty()) {
            return List.of();
        }
        int[] counts = jdbc.batchUpdate(sql, new BatchPreparedStatementSetter() {
            @Override
            public void setValues(PreparedStatement ps, int i) throws SQLException {
                binder.bind(ps, rows.get(i));
            }

            @Override
            public int getBatchSize() {
                return rows.size();
            }
        });
        List<T> missed = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            int count = counts[i];
            if (count == Statement.SUCCESS_NO_INFO) {
                // Without a count, a fenced write cannot be told from a done one; failing rolls the whole
                // settlement back instead of reporting a completion that may not have happened.
                throw new IllegalStateException("The JDBC driver did not report update counts for a batch"
                        + " (SUCCESS_NO_INFO), so fencing cannot be verified; do not enable batch rewriting"
                        + " options such as PostgreSQL's reWriteBatchedInserts for the queue's DataSource");
            }
            if (count > 0) {
                written.put(rows.get(i), newState);
            } else {
                missed.add(rows.get(i));
            }
        }
        return missed;
    }

    private static void fence(PreparedStatement ps, int index, long id, String owner) throws SQLException {
        ps.setLong(index, id);
        ps.setString(index + 1, owner);
    }

    private static void setNullable(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }

    static String truncate(String error) {
        return error == null || error.length() <= MAX_ERROR_CHARS ? error : error.substring(0, MAX_ERROR_CHARS);
    }

    @FunctionalInterface
    private interface Binder<T> {
        void bind(PreparedStatement ps, T row) throws SQLException;
    }
}

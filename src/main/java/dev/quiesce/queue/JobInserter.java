package dev.quiesce.queue;

import dev.quiesce.job.Job;
import dev.quiesce.job.NewJob;
import dev.quiesce.queue.JobQueue.EnqueueResult;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Writes new jobs inside the caller's transaction. Jobs without an idempotency key go in INSERTs of many rows that
 * return their rows (a {@code POST /jobs/batch} of 1000 is one statement over arrays on PostgreSQL, two multi-row
 * INSERTs on H2, not 1000); a keyed job is first looked up, so
 * re-posting it returns the stored job. Two concurrent first posts of one key race on the unique
 * constraint: the loser's transaction fails with a duplicate key and {@link JdbcJobQueue} runs it again,
 * which then finds the winner's row.
 */
final class JobInserter {

    private static final String COLUMNS = "type, state, payload, priority, attempts, max_attempts, interruptions,"
            + " crashes, idempotency_key, cancel_requested, created_at, run_at";
    private static final String VALUES = "?, 'QUEUED', ?, ?, 0, ?, 0, 0, ?, FALSE, CURRENT_TIMESTAMP,"
            + " COALESCE(CAST(? AS TIMESTAMP WITH TIME ZONE), CURRENT_TIMESTAMP)";
    private static final String INSERT = "INSERT INTO jobs (" + COLUMNS + ") VALUES (" + VALUES + ")";
    /** Parameters per row in {@link #VALUES}. */
    private static final int PARAMETERS = 6;
    /** Rows per multi-row INSERT: 3,000 parameters, far below PostgreSQL's 65,535. */
    static final int ROWS_PER_STATEMENT = 500;

    private final JdbcTemplate jdbc;
    private final SqlDialect dialect;

    JobInserter(JdbcTemplate jdbc, SqlDialect dialect) {
        this.jdbc = jdbc;
        this.dialect = dialect;
    }

    /** Results in the order of {@code jobs}; must run inside a transaction. */
    List<EnqueueResult> insert(List<NewJob> jobs) {
        EnqueueResult[] results = new EnqueueResult[jobs.size()];
        List<Integer> unkeyed = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            NewJob job = jobs.get(i);
            if (job.idempotencyKey() == null) {
                unkeyed.add(i);
            } else {
                results[i] = insertKeyed(job);
            }
        }
        if (unkeyed.size() == 1) {
            int i = unkeyed.getFirst();
            results[i] = new EnqueueResult(insertOne(jobs.get(i)), true);
        } else if (!unkeyed.isEmpty()) {
            List<Job> inserted = insertBatch(unkeyed.stream().map(jobs::get).toList());
            for (int k = 0; k < unkeyed.size(); k++) {
                results[unkeyed.get(k)] = new EnqueueResult(inserted.get(k), true);
            }
        }
        return List.of(results);
    }

    private EnqueueResult insertKeyed(NewJob job) {
        List<Job> existing = jdbc.query("SELECT * FROM jobs WHERE idempotency_key = ?", JobRowMapper.INSTANCE,
                job.idempotencyKey());
        if (existing.isEmpty()) {
            return new EnqueueResult(insertOne(job), true);
        }
        Job stored = existing.getFirst();
        // Raw text comparison: the payload is stored exactly as sent, so "the same payload" is the same text.
        if (stored.type().equals(job.type()) && stored.payload().equals(job.payload())) {
            return new EnqueueResult(stored, false);
        }
        throw new IdempotencyConflictException(job.idempotencyKey(), stored.id());
    }

    private Job insertOne(NewJob job) {
        return jdbc.query(dialect.returningAll(INSERT), ps -> bind(ps, job), JobRowMapper.INSTANCE).getFirst();
    }

    /**
     * One multi-row INSERT per {@link #ROWS_PER_STATEMENT} jobs that returns the rows it wrote: one round trip,
     * no read-back. Identity values are drawn in the order of the VALUES list, so the rows sorted by id are in
     * the order of {@code batch}.
     */
    private List<Job> insertBatch(List<NewJob> batch) {
        if (dialect.writesRowsAsArrays()) {
            return insertAsArrays(batch);
        }
        List<Job> inserted = new ArrayList<>(batch.size());
        for (int from = 0; from < batch.size(); from += ROWS_PER_STATEMENT) {
            List<NewJob> rows = batch.subList(from, Math.min(batch.size(), from + ROWS_PER_STATEMENT));
            String sql = dialect.returningAll("INSERT INTO jobs (" + COLUMNS + ") VALUES "
                    + String.join(", ", Collections.nCopies(rows.size(), "(" + VALUES + ")")));
            List<Job> written = new ArrayList<>(jdbc.query(sql, ps -> {
                for (int i = 0; i < rows.size(); i++) {
                    bind(ps, i * PARAMETERS, rows.get(i));
                }
            }, JobRowMapper.INSTANCE));
            if (written.size() != rows.size()) {
                throw new IllegalStateException("Inserted " + rows.size() + " jobs but the database returned " + written.size());
            }
            written.sort(Comparator.comparingLong(Job::id));
            inserted.addAll(written);
        }
        return inserted;
    }

    /**
     * PostgreSQL: every job in one INSERT over six arrays, one per column that varies (unkeyed jobs only). The rows are
     * inserted in the order of {@code batch} (ORDER BY the ordinality), so their identity values are too.
     */
    private List<Job> insertAsArrays(List<NewJob> batch) {
        String sql = "INSERT INTO jobs (" + COLUMNS + ") SELECT rows.type, 'QUEUED', rows.payload, rows.priority, 0,"
                + " rows.max_attempts, 0, 0, NULL, FALSE, CURRENT_TIMESTAMP,"
                + " COALESCE(CAST(rows.run_at AS TIMESTAMP WITH TIME ZONE), CURRENT_TIMESTAMP)"
                + " FROM unnest(?::text[], ?::text[], ?::int[], ?::int[], ?::text[]) WITH ORDINALITY"
                + " AS rows(type, payload, priority, max_attempts, run_at, n) ORDER BY rows.n RETURNING *";
        List<Job> written = new ArrayList<>(jdbc.query(connection -> {
            PreparedStatement ps = connection.prepareStatement(sql);
            ps.setArray(1, connection.createArrayOf("text", batch.stream().map(NewJob::type).toArray()));
            ps.setArray(2, connection.createArrayOf("text", batch.stream().map(NewJob::payload).toArray()));
            ps.setArray(3, connection.createArrayOf("int4", batch.stream().map(NewJob::priority).toArray()));
            ps.setArray(4, connection.createArrayOf("int4", batch.stream().map(NewJob::maxAttempts).toArray()));
            ps.setArray(5, connection.createArrayOf("text",
                    batch.stream().map(job -> job.runAt() == null ? null : job.runAt().toString()).toArray()));
            return ps;
        }, JobRowMapper.INSTANCE));
        if (written.size() != batch.size()) {
            throw new IllegalStateException("Inserted " + batch.size() + " jobs but the database returned " + written.size());
        }
        written.sort(Comparator.comparingLong(Job::id));
        return written;
    }

    private static void bind(PreparedStatement ps, NewJob job) throws SQLException {
        bind(ps, 0, job);
    }

    /** Binds one row's {@link #PARAMETERS} parameters after the first {@code offset}. */
    private static void bind(PreparedStatement ps, int offset, NewJob job) throws SQLException {
        ps.setString(offset + 1, job.type());
        ps.setString(offset + 2, job.payload());
        ps.setInt(offset + 3, job.priority());
        ps.setInt(offset + 4, job.maxAttempts());
        if (job.idempotencyKey() == null) {
            ps.setNull(offset + 5, Types.VARCHAR);
        } else {
            ps.setString(offset + 5, job.idempotencyKey());
        }
        if (job.runAt() == null) {
            ps.setNull(offset + 6, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(offset + 6, job.runAt().atOffset(ZoneOffset.UTC));
        }
    }
}

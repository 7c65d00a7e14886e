package dev.quiesce.queue;

import dev.quiesce.job.Job;
import dev.quiesce.job.NewJob;
import dev.quiesce.queue.JobQueue.EnqueueResult;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes new jobs inside the caller's transaction. Jobs without an idempotency key go in one JDBC batch
 * (a {@code POST /jobs/batch} of 1000 is two round trips, not 1000); a keyed job is first looked up, so
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

    private List<Job> insertBatch(List<NewJob> batch) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.batchUpdate(connection -> connection.prepareStatement(INSERT, new String[] {"id"}),
                new BatchPreparedStatementSetter() {
                    @Override
                    public void setValues(PreparedStatement ps, int i) throws SQLException {
                        bind(ps, batch.get(i));
                    }

                    @Override
                    public int getBatchSize() {
                        return batch.size();
                    }
                }, keys);
        List<Long> ids = keys.getKeyList().stream().map(row -> ((Number) row.values().iterator().next()).longValue()).toList();
        if (ids.size() != batch.size()) {
            throw new IllegalStateException("Inserted " + batch.size() + " jobs but the driver returned " + ids.size() + " ids");
        }
        Map<Long, Job> byId = new HashMap<>();
        for (Job job : JobQueries.findAll(jdbc, ids)) {
            byId.put(job.id(), job);
        }
        return ids.stream().map(id -> Objects.requireNonNull(byId.get(id), "inserted job " + id)).toList();
    }

    private static void bind(PreparedStatement ps, NewJob job) throws SQLException {
        ps.setString(1, job.type());
        ps.setString(2, job.payload());
        ps.setInt(3, job.priority());
        ps.setInt(4, job.maxAttempts());
        if (job.idempotencyKey() == null) {
            ps.setNull(5, Types.VARCHAR);
        } else {
            ps.setString(5, job.idempotencyKey());
        }
        if (job.runAt() == null) {
            ps.setNull(6, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(6, job.runAt().atOffset(ZoneOffset.UTC));
        }
    }
}

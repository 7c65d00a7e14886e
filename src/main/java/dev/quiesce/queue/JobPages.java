package dev.quiesce.queue;

import dev.quiesce.api.JobState;
import dev.quiesce.job.Job;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The queries of the console and the list API: pages of jobs by filter with an id cursor (any number of jobs, each
 * page one index walk that stops at its limit), one job's detail, and the bulk retry of the jobs a filter matches.
 */
final class JobPages {

    static final Set<JobState> RETRYABLE = Set.of(JobState.FAILED, JobState.CANCELLED);

    /** Back to the queue, ready now, with a fresh set of attempts; one parameter: the history line's start. */
    static final String RETRY = "UPDATE jobs SET state = 'QUEUED', owner = NULL, lease_until = NULL, attempts = 0,"
            + " interruptions = 0, crashes = 0, cancel_requested = FALSE, result = NULL, finished_at = NULL,"
            + " progress = NULL, run_at = CURRENT_TIMESTAMP, history = "
            + JobHistory.append("? || 'retried by an operator (attempts start again)'");

    private final JdbcClient sql;

    JobPages(JdbcClient sql) {
        this.sql = sql;
    }

    JobPage page(JobFilter filter, JobPage.Order order, Long after, int limit) {
        if (limit <= 0) {
            return new JobPage(List.of(), null);
        }
        boolean newest = order != JobPage.Order.OLDEST;
        Where where = where(filter);
        if (after != null) {
            where.add(newest ? "id < ?" : "id > ?", after);
        }
        String direction = newest ? " DESC" : "";
        // The filter column leads the ORDER BY (it is constant) so that H2 walks jobs_state_newest or jobs_type_newest
        // in order and stops at the LIMIT, as PostgreSQL does by itself.
        String orderBy = filter.state() != null ? "state, id" + direction
                : filter.type() != null ? "type, id" + direction : "id" + direction;
        List<Object> args = new ArrayList<>(where.args);
        args.add(limit + 1);
        List<Job> jobs = sql.sql("SELECT * FROM jobs WHERE " + where.sql() + " ORDER BY " + orderBy + " LIMIT ?")
                .params(args).query(JobRowMapper.INSTANCE).list();
        if (jobs.size() <= limit) {
            return new JobPage(jobs, null);
        }
        List<Job> page = jobs.subList(0, limit);
        return new JobPage(List.copyOf(page), page.getLast().id());
    }

    /** The job with the columns only its own page shows (see {@link JobDetail}). */
    Optional<JobDetail> detail(long id) {
        return sql.sql("SELECT * FROM jobs WHERE id = ?").param(id).query((rs, row) -> {
            Job job = JobRowMapper.INSTANCE.mapRow(rs, row);
            double progress = rs.getDouble("progress");
            return new JobDetail(job, rs.wasNull() ? null : progress, rs.getString("runner"), rs.getString("error_trace"),
                    JobHistory.events(job, rs.getString("history")));
        }).optional();
    }

    int retryAll(JobFilter filter) {
        if (filter.state() != null && !RETRYABLE.contains(filter.state())) {
            return 0;
        }
        Where where = where(filter);
        if (filter.state() == null) {
            where.add("state IN ('FAILED', 'CANCELLED')");
        }
        List<Object> args = new ArrayList<>();
        args.add(JobHistory.now());
        args.addAll(where.args);
        return sql.sql(RETRY + " WHERE " + where.sql()).params(args).update();
    }

    private static Where where(JobFilter filter) {
        Where where = new Where();
        if (filter.state() != null) {
            // A literal (a JobState name), not a parameter: on PostgreSQL jobs_state_newest is partial (QUEUED,
            // FAILED, CANCELLED), and only a plan for the literal state can tell whether it may use it.
            where.add("state = '" + filter.state().name() + "'");
        }
        if (filter.type() != null) {
            where.add("type = ?", filter.type());
        }
        if (filter.idempotencyKey() != null) {
            where.add("idempotency_key = ?", filter.idempotencyKey());
        }
        if (filter.errorText() != null) {
            where.add("last_error LIKE ? ESCAPE '\\'", "%" + escapeLike(filter.errorText()) + "%");
        }
        return where;
    }

    static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static final class Where {
        private final List<String> conditions = new ArrayList<>();
        private final List<Object> args = new ArrayList<>();

        void add(String condition, Object... values) {
            conditions.add(condition);
            args.addAll(List.of(values));
        }

        String sql() {
            return conditions.isEmpty() ? "1 = 1" : String.join(" AND ", conditions);
        }
    }
}

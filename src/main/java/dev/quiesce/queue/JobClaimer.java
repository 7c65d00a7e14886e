package dev.quiesce.queue;

import dev.quiesce.job.Job;
import dev.quiesce.queue.JobQueue.LeaseCheck;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Takes and keeps leases: the claim and the lease heartbeat, the two statements on the hot path. They run
 * in as few round trips as the dialect allows (PostgreSQL: one statement each; H2: a SELECT of ids and an
 * UPDATE that reads back its rows), with every time taken from the database clock.
 */
final class JobClaimer {

    /** Claim order; also the order claimed jobs are returned in. */
    static final Comparator<Job> CLAIM_ORDER = Comparator.comparingInt(Job::priority).reversed().thenComparingLong(Job::id);

    private static final String NOW = "CURRENT_TIMESTAMP";

    private final JdbcTemplate jdbc;
    private final SqlDialect dialect;
    private final String take;
    private final ReentrantLock h2ClaimLock = new ReentrantLock();

    JobClaimer(JdbcTemplate jdbc, SqlDialect dialect) {
        this.jdbc = jdbc;
        this.dialect = dialect;
        // Parameters: owner, lease in milliseconds, the start of the history line (JobHistory.now() + "claimed by ...").
        this.take = "SET state = 'RUNNING', owner = ?, attempts = attempts + 1, started_at = " + NOW
                + ", lease_until = " + dialect.plusMillis(NOW, "?") + ", progress = NULL, runner = NULL, history = "
                + JobHistory.append("? || CAST(attempts + 1 AS VARCHAR(11)) || ')'");
    }

    List<Job> claim(String owner, int max, Set<String> types, long leaseMillis) {
        if (max <= 0 || types.isEmpty()) {
            return List.of();
        }
        List<Object> typeArgs = new ArrayList<>(types);
        List<Job> claimed = dialect.claimsInOneStatement()
                ? claimInOneStatement(max, typeArgs, owner, leaseMillis)
                : claimSerialized(ready(max, types.size()), typeArgs, owner, leaseMillis);
        return claimed.stream().sorted(CLAIM_ORDER).toList();
    }

    /** The ids of the first {@code max} ready jobs of {@code typeCount} types (parameters), in claim order. */
    private static String ready(int max, int typeCount) {
        // "state" leads the ORDER BY although it is constant: only so does H2 walk jobs_claim in order and stop
        // at the LIMIT instead of sorting every queued row (PostgreSQL drops the constant key by itself).
        // The LIMIT is a literal, not a parameter: PostgreSQL switches a prepared statement to a generic plan after
        // five runs, and a generic plan with an unknown LIMIT, planned on statistics taken while the whole backlog was
        // QUEUED, sorts every queued row instead of reading the head of jobs_claim (measured 2026-12-06: 20-50 ms per
        // claim against 0.2 ms). At most a few hundred distinct texts, each prepared once per connection.
        return "SELECT id FROM jobs WHERE state = 'QUEUED' AND run_at <= " + NOW + " AND type IN ("
                + JobQueries.placeholders(typeCount) + ") ORDER BY state, priority DESC, id LIMIT " + max;
    }

    /**
     * PostgreSQL's claim in one statement; parameters: owner, lease in milliseconds, the history line's start, then the types. Its plan must not
     * depend on statistics (see {@link SqlDialect#prepareTransaction}, which also disables sorts for it).
     */
    String claimStatement(int max, int typeCount) {
        // The locked ids come as one array (an uncorrelated sub-select runs once), and the rows are then found by
        // primary key, the only index that leads with id. A join with the ids, or a second "state = 'QUEUED'" here,
        // lets the planner pick its plan by row estimates, which for a queue are often wrong: measured 2026-12-06, a
        // walk over every QUEUED row per claim (6-14 ms with 20,000 queued). No state guard is needed: the sub-select
        // locked each row and re-checked its condition on the row's newest version, so it is still QUEUED.
        return "UPDATE jobs " + take + " WHERE id = ANY(ARRAY(" + ready(max, typeCount) + " FOR UPDATE SKIP LOCKED))"
                + " RETURNING *";
    }

    private List<Job> claimInOneStatement(int max, List<Object> typeArgs, String owner, long leaseMillis) {
        List<Object> args = new ArrayList<>(List.of(owner, leaseMillis, claimedBy(owner)));
        args.addAll(typeArgs);
        return jdbc.query(claimStatement(max, typeArgs.size()), JobRowMapper.INSTANCE, args.toArray());
    }

    /**
     * H2: pick the ids, then take them with an UPDATE guarded by {@code state = 'QUEUED'}. H2 locks every row
     * matching a {@code SELECT ... FOR UPDATE} before it applies the LIMIT, so a claim there costs the whole
     * queue's depth (measured with H2 2.4.240: 0.4 s per claim with
     * 10,000 queued, and a second claimer skips all of them). An embedded H2 belongs to one process, so
     * this process's claims take turns instead; the guard keeps the claim exact even so, because H2 re-checks
     * an UPDATE's condition on the row it locked: a row taken meanwhile by anyone is skipped, never taken twice.
     */
    private List<Job> claimSerialized(String ready, List<Object> readyArgs, String owner, long leaseMillis) {
        h2ClaimLock.lock();
        try {
            List<Long> ids = jdbc.queryForList(ready, Long.class, readyArgs.toArray());
            if (ids.isEmpty()) {
                return List.of();
            }
            String update = "UPDATE jobs " + take + " WHERE id IN (" + JobQueries.placeholders(ids.size())
                    + ") AND state = 'QUEUED'";
            List<Object> args = new ArrayList<>(List.of(owner, leaseMillis, claimedBy(owner)));
            args.addAll(ids);
            return jdbc.query(dialect.returningAll(update), JobRowMapper.INSTANCE, args.toArray());
        } finally {
            h2ClaimLock.unlock();
        }
    }

    private static String claimedBy(String owner) {
        return JobHistory.now() + "claimed by " + owner + " (attempt ";
    }

    /** Extends this owner's leases on {@code running}; one statement. */
    LeaseCheck extend(String owner, Collection<Long> running, long leaseMillis) {
        if (running.isEmpty()) {
            return new LeaseCheck(Set.of(), Set.of());
        }
        String update = "UPDATE jobs SET lease_until = " + dialect.plusMillis(NOW, "?")
                + " WHERE owner = ? AND state = 'RUNNING' AND id IN (" + JobQueries.placeholders(running.size()) + ")";
        List<Object> args = new ArrayList<>(List.of(leaseMillis, owner));
        args.addAll(running);
        Set<Long> held = new HashSet<>();
        Set<Long> cancelRequested = new HashSet<>();
        jdbc.query(dialect.returning(update, "id, cancel_requested"), rs -> {
            long id = rs.getLong("id");
            held.add(id);
            if (rs.getBoolean("cancel_requested")) {
                cancelRequested.add(id);
            }
        }, args.toArray());
        Set<Long> lost = new HashSet<>(running);
        lost.removeAll(held);
        return new LeaseCheck(Set.copyOf(lost), Set.copyOf(cancelRequested));
    }
}

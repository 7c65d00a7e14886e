package dev.quiesce.queue;

import dev.quiesce.queue.JobQueue.ReclaimResult;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Takes running jobs back from owners that can no longer finish them (DESIGN §3): the lease expired, or the
 * owner's {@code workers} row is stale, {@code STOPPED} or missing. Each such job counts as a crash of its
 * worker: it goes back to {@code QUEUED} with {@code crashes + 1}, or to {@code FAILED} once it has crashed
 * {@code quarantine-after} times, so a poison pill cannot take the fleet down forever. A job whose
 * cancellation was requested is cancelled instead of requeued. Rows are locked with SKIP LOCKED, so
 * several instances may reclaim at once and each job is counted by one of them. Must run inside a transaction.
 */
final class LeaseReclaimer {

    private static final String NOW = "CURRENT_TIMESTAMP";
    private static final String CANDIDATE_COLUMNS = "SELECT id, crashes, cancel_requested, CASE WHEN lease_until < "
            + NOW + " THEN 1 ELSE 0 END AS lease_expired FROM jobs j WHERE state = 'RUNNING'";

    private final JdbcTemplate jdbc;
    private final SqlDialect dialect;
    private final int quarantineAfter;
    private final String staleCandidates;

    LeaseReclaimer(JdbcTemplate jdbc, SqlDialect dialect, int quarantineAfter) {
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.quarantineAfter = quarantineAfter;
        this.staleCandidates = CANDIDATE_COLUMNS + " AND (lease_until < " + NOW + " OR NOT EXISTS ("
                + "SELECT 1 FROM workers w WHERE w.id = j.owner AND w.state <> 'STOPPED'"
                + " AND w.heartbeat_at >= " + dialect.plusMillis(NOW, "?") + ")) FOR UPDATE SKIP LOCKED";
    }

    ReclaimResult reclaim(Duration staleAfter) {
        return takeBack(jdbc.query(staleCandidates, (rs, n) -> candidate(rs), -staleAfter.toMillis()));
    }

    ReclaimResult reclaimOwnedBy(Collection<String> deadOwners) {
        if (deadOwners.isEmpty()) {
            return ReclaimResult.NONE;
        }
        String sql = CANDIDATE_COLUMNS + " AND owner IN (" + JobQueries.placeholders(deadOwners.size())
                + ") FOR UPDATE SKIP LOCKED";
        List<Candidate> candidates = jdbc.query(sql, (rs, n) -> candidate(rs), deadOwners.toArray());
        // Whatever the lease says, these owners are known dead: count them so.
        return takeBack(candidates.stream().map(c -> new Candidate(c.id, c.crashes, c.cancelRequested, false)).toList());
    }

    private ReclaimResult takeBack(List<Candidate> candidates) {
        if (candidates.isEmpty()) {
            return ReclaimResult.NONE;
        }
        List<Long> requeue = new ArrayList<>();
        List<Long> cancel = new ArrayList<>();
        List<Long> quarantine = new ArrayList<>();
        int leaseExpired = 0;
        int ownerDead = 0;
        for (Candidate c : candidates) {
            if (c.crashes + 1 >= quarantineAfter) {
                quarantine.add(c.id);
                continue;
            }
            (c.cancelRequested ? cancel : requeue).add(c.id);
            if (c.leaseExpired) {
                leaseExpired++;
            } else {
                ownerDead++;
            }
        }
        if (!requeue.isEmpty()) {
            List<Object> args = new ArrayList<>();
            args.add(JobHistory.now());
            args.addAll(requeue);
            jdbc.update("UPDATE jobs SET state = 'QUEUED', owner = NULL, lease_until = NULL, crashes = crashes + 1, history = "
                    + JobHistory.append("? || 'reclaimed from ' || owner || ' (its lease expired or it died): counted as a crash'")
                    + " WHERE id IN (" + JobQueries.placeholders(requeue.size()) + ")", args.toArray());
        }
        if (!requeue.isEmpty()) {
            // Wakes every instance at commit (an idle one starts these at once); reclaims are rare, so the NOTIFY's
            // serialized commit costs nothing here.
            dialect.notifyJobsReady(jdbc);
        }
        update("UPDATE jobs SET state = 'CANCELLED', lease_until = NULL, crashes = crashes + 1, finished_at = " + NOW
                + ", last_error = 'cancelled: its worker died after cancellation was requested'", cancel);
        update("UPDATE jobs SET state = 'FAILED', lease_until = NULL, crashes = crashes + 1, finished_at = " + NOW
                + ", last_error = CONCAT('quarantined: crashed its worker ', crashes + 1, ' times')", quarantine);
        return new ReclaimResult(leaseExpired, ownerDead, quarantine.size());
    }

    private void update(String set, List<Long> ids) {
        if (!ids.isEmpty()) {
            // The rows are locked by this transaction's SELECT ... FOR UPDATE, so the state cannot have moved.
            jdbc.update(set + " WHERE id IN (" + JobQueries.placeholders(ids.size()) + ")", ids.toArray());
        }
    }

    private static Candidate candidate(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Candidate(rs.getLong("id"), rs.getInt("crashes"), rs.getBoolean("cancel_requested"),
                rs.getInt("lease_expired") == 1);
    }

    private record Candidate(long id, int crashes, boolean cancelRequested, boolean leaseExpired) {
    }
}

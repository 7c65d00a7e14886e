package dev.quiesce.queue;

import dev.quiesce.job.Job;
import dev.quiesce.api.JobState;
import dev.quiesce.job.NewJob;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The {@link JobQueue} on a relational database (H2 or PostgreSQL, see {@link SqlDialect}). This class owns
 * the transactions and the events; the SQL of each concern lives in a small collaborator: {@link JobInserter}
 * (enqueue, idempotency), {@link JobClaimer} (claim, lease heartbeat), {@link SettlementWriter} (fenced
 * outcomes) and {@link LeaseReclaimer} (expired leases, dead owners). Events are published only after the
 * transaction that justifies them has committed, so a listener never sees a job that is not there.
 */
@Repository
public class JdbcJobQueue implements JobQueue {

    /**
     * Two first posts of one idempotency key race on the unique constraint; the loser runs again and finds
     * the winner's job. More than a few losses in a row would mean something else is wrong.
     */
    private static final int ENQUEUE_TRIES = 3;

    private final JdbcClient sql;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final QueueProperties properties;
    private final ApplicationEventPublisher events;
    private final JobInserter inserter;
    private final JobClaimer claimer;
    private final SettlementWriter settlements;
    private final LeaseReclaimer reclaimer;
    private final SqlDialect dialect;
    private final JobPages pages;
    /**
     * H2 only: the writes of leased rows (claim, settle, lease heartbeat) take turns. The exchange and the heartbeat
     * update the same RUNNING rows from two threads; on PostgreSQL one waits for the other (rows are written in id
     * order). H2 2.4.240 once answered such a wait with "Transaction was illegally transitioned from ROLLING_BACK to
     * COMMITTED" and kept the table locked for good (every later statement: "Timeout trying to lock table JOBS";
     * measured 2026-12-06 in a benchmark run with 258 jobs leased). An embedded H2 belongs to one process, so taking
     * turns here costs nothing but a lock.
     */
    private final ReentrantLock h2LeasedRows = new ReentrantLock();

    public JdbcJobQueue(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, QueueProperties properties,
                        ApplicationEventPublisher events, SqlDialect dialect) {
        this.sql = JdbcClient.create(jdbc);
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.properties = properties;
        this.events = events;
        this.inserter = new JobInserter(jdbc, dialect);
        this.claimer = new JobClaimer(jdbc, dialect);
        this.settlements = new SettlementWriter(jdbc, dialect, properties.quarantineAfter());
        this.dialect = dialect;
        this.reclaimer = new LeaseReclaimer(jdbc, dialect, properties.quarantineAfter());
        this.pages = new JobPages(sql);
    }

    @Override
    public EnqueueResult enqueue(NewJob job) {
        return enqueueAll(List.of(job)).getFirst();
    }

    @Override
    public List<EnqueueResult> enqueueAll(List<NewJob> jobs) {
        if (jobs.isEmpty()) {
            return List.of();
        }
        boolean keyed = jobs.stream().anyMatch(job -> job.idempotencyKey() != null);
        for (int attempt = 1; ; attempt++) {
            try {
                List<EnqueueResult> results = transactions.execute(status -> inserter.insert(jobs));
                int created = 0;
                int due = 0;
                for (EnqueueResult result : results) {
                    if (result.created()) {
                        created++;
                        due += result.job().runAt().isAfter(result.job().createdAt()) ? 0 : 1;
                    }
                }
                if (created > 0) {
                    events.publishEvent(new JobsEnqueued(created, due));
                }
                return results;
            } catch (DuplicateKeyException e) {
                // Only an idempotency key can collide; the transaction rolled back, so running it again is safe.
                if (!keyed || attempt == ENQUEUE_TRIES) {
                    throw e;
                }
            }
        }
    }

    @Override
    public Optional<Job> find(long id) {
        return sql.sql("SELECT * FROM jobs WHERE id = ?").param(id).query(JobRowMapper.INSTANCE).optional();
    }

    /** The first page of {@link #page}, newest first. */
    @Override
    public List<Job> list(JobState state, String type, int limit) {
        return pages.page(new JobFilter(state, type, null, null), JobPage.Order.NEWEST, null, limit).jobs();
    }

    @Override
    public JobPage page(JobFilter filter, JobPage.Order order, Long after, int limit) {
        return pages.page(filter, order, after, limit);
    }

    @Override
    public Optional<JobDetail> detail(long id) {
        return pages.detail(id);
    }

    @Override
    public ActionResult retry(long id) {
        ActionResult result = transactions.execute(status -> {
            Optional<Job> locked = locked(id);
            if (locked.isEmpty()) {
                return new ActionResult(ActionResult.Status.NOT_FOUND, null);
            }
            if (!JobPages.RETRYABLE.contains(locked.get().state())) {
                return new ActionResult(ActionResult.Status.WRONG_STATE, locked.get());
            }
            sql.sql(JobPages.RETRY + " WHERE id = ?").params(JobHistory.now(), id).update();
            return new ActionResult(ActionResult.Status.DONE, find(id).orElseThrow());
        });
        if (result.status() == ActionResult.Status.DONE) {
            events.publishEvent(new JobsEnqueued(1, 1));
        }
        return result;
    }

    @Override
    public int retryAll(JobFilter filter) {
        int retried = transactions.execute(status -> pages.retryAll(filter));
        if (retried > 0) {
            events.publishEvent(new JobsEnqueued(retried, retried));
        }
        return retried;
    }

    @Override
    public ActionResult delete(long id) {
        return transactions.execute(status -> {
            Optional<Job> locked = locked(id);
            if (locked.isEmpty()) {
                return new ActionResult(ActionResult.Status.NOT_FOUND, null);
            }
            if (!locked.get().state().isTerminal()) {
                return new ActionResult(ActionResult.Status.WRONG_STATE, locked.get());
            }
            sql.sql("DELETE FROM jobs WHERE id = ?").param(id).update();
            return new ActionResult(ActionResult.Status.DONE, locked.get());
        });
    }

    /** The job, its row locked until the transaction ends. */
    private Optional<Job> locked(long id) {
        return sql.sql("SELECT * FROM jobs WHERE id = ? FOR UPDATE").param(id).query(JobRowMapper.INSTANCE).optional();
    }

    @Override
    public CancelResult requestCancel(long id) {
        CancelResult result = transactions.execute(status -> {
            Optional<Job> locked = locked(id);
            if (locked.isEmpty()) {
                return new CancelResult(CancelResult.Outcome.NOT_FOUND, null);
            }
            return switch (locked.get().state()) {
                case QUEUED -> {
                    sql.sql("UPDATE jobs SET state = 'CANCELLED', finished_at = CURRENT_TIMESTAMP WHERE id = ?")
                            .param(id).update();
                    yield new CancelResult(CancelResult.Outcome.CANCELLED, find(id).orElseThrow());
                }
                case RUNNING -> {
                    sql.sql("UPDATE jobs SET cancel_requested = TRUE, history = "
                                    + JobHistory.append("? || 'cancellation requested'") + " WHERE id = ?")
                            .params(JobHistory.now(), id).update();
                    yield new CancelResult(CancelResult.Outcome.CANCEL_REQUESTED, locked.get());
                }
                case SUCCEEDED, FAILED, CANCELLED -> new CancelResult(CancelResult.Outcome.ALREADY_TERMINAL, locked.get());
            };
        });
        if (result.outcome() == CancelResult.Outcome.CANCEL_REQUESTED) {
            events.publishEvent(new JobCancelRequested(id));
        }
        return result;
    }

    @Override
    public List<Job> claim(String owner, int max, Set<String> types) {
        Objects.requireNonNull(owner, "owner");
        if (max <= 0 || types.isEmpty()) {
            return List.of();
        }
        return onLeasedRows(() -> transactions.execute(status -> {
            // A claim need not wait for the disk (PostgreSQL: no fsync at its commit). Should the database
            // lose it in a crash, the job is simply QUEUED again and this owner's outcome is fenced off:
            // it runs twice, which at-least-once allows; nothing is lost. Outcomes are written durably.
            dialect.prepareTransaction(sql, true, true);
            return claimer.claim(owner, max, types, properties.lease().toMillis());
        }));
    }

    @Override
    public Exchange exchange(String owner, List<Outcome> outcomes, List<ClaimRequest> claims) {
        Objects.requireNonNull(owner, "owner");
        boolean claiming = claims.stream().anyMatch(claim -> claim.max() > 0 && !claim.types().isEmpty());
        if (outcomes.isEmpty() && !claiming) {
            return new Exchange(List.of(), claims.stream().<List<Job>>map(claim -> List.of()).toList());
        }
        return onLeasedRows(() -> transactions.execute(status -> {
            // A round that only claims need not wait for the disk at its commit (see claim()); one that writes
            // outcomes must.
            dialect.prepareTransaction(sql, outcomes.isEmpty(), claiming);
            List<Settlement> settled = outcomes.isEmpty() ? List.of() : settleAndNotify(owner, outcomes);
            List<List<Job>> claimed = new ArrayList<>(claims.size());
            for (ClaimRequest claim : claims) {
                claimed.add(claimer.claim(owner, claim.max(), claim.types(), properties.lease().toMillis()));
            }
            return new Exchange(settled, claimed);
        }));
    }

    private <T> T onLeasedRows(Supplier<T> write) {
        if (dialect != SqlDialect.H2) {
            return write.get();
        }
        h2LeasedRows.lock();
        try {
            return write.get();
        } finally {
            h2LeasedRows.unlock();
        }
    }

    @Override
    public LeaseCheck heartbeat(String owner, Collection<Long> running) {
        Objects.requireNonNull(owner, "owner");
        return onLeasedRows(() -> claimer.extend(owner, running, properties.lease().toMillis()));
    }

    @Override
    public void recordProgress(String owner, Map<Long, RunView> views) {
        if (views.isEmpty()) {
            return;
        }
        // In id order, the lock order of every other write of leased rows.
        List<Map.Entry<Long, RunView>> rows = new ArrayList<>(new java.util.TreeMap<>(views).entrySet());
        onLeasedRows(() -> jdbc.batchUpdate("UPDATE jobs SET progress = ?, runner = ? WHERE id = ? AND owner = ?"
                + " AND state = 'RUNNING'", rows, rows.size(), (ps, row) -> {
            if (row.getValue().progress() == null) {
                ps.setNull(1, java.sql.Types.DOUBLE);
            } else {
                ps.setDouble(1, row.getValue().progress());
            }
            ps.setString(2, row.getValue().runner());
            ps.setLong(3, row.getKey());
            ps.setString(4, owner);
        }));
    }

    @Override
    public List<Settlement> settle(String owner, List<Outcome> outcomes) {
        Objects.requireNonNull(owner, "owner");
        if (outcomes.isEmpty()) {
            return List.of();
        }
        return onLeasedRows(() -> transactions.execute(status -> settleAndNotify(owner, outcomes)));
    }

    /**
     * Writes the outcomes; if any handed a job back ready to run (a stop or a quiet returning what it held), the
     * fleet is told in the same transaction, so an idle instance takes it at once instead of at its next poll.
     * Hand-backs are rare, so the notification's cost (PostgreSQL serializes notifying commits) stays off the hot path.
     */
    private List<Settlement> settleAndNotify(String owner, List<Outcome> outcomes) {
        List<Settlement> settled = settlements.settle(owner, outcomes, properties.retryBackoff().toMillis(),
                properties.retryBackoffMax().toMillis());
        boolean handedBack = settled.stream().anyMatch(settlement -> !settlement.fenced()
                && settlement.newState() == JobState.QUEUED
                && (settlement.outcome() instanceof Outcome.Released || settlement.outcome() instanceof Outcome.Returned));
        if (handedBack) {
            dialect.notifyJobsReady(jdbc);
        }
        return settled;
    }

    @Override
    public ReclaimResult reclaim(Duration staleAfter) {
        return transactions.execute(status -> reclaimer.reclaim(staleAfter));
    }

    @Override
    public ReclaimResult reclaimOwnedBy(Collection<String> deadOwners) {
        if (deadOwners.isEmpty()) {
            return ReclaimResult.NONE;
        }
        return transactions.execute(status -> reclaimer.reclaimOwnedBy(deadOwners));
    }

    @Override
    public List<Long> runningOwnedBy(String owner) {
        return sql.sql("SELECT id FROM jobs WHERE owner = ? AND state = 'RUNNING' ORDER BY id")
                .param(owner).query(Long.class).list();
    }

    @Override
    public Map<JobState, Long> countByState() {
        Map<JobState, Long> counts = new EnumMap<>(JobState.class);
        for (JobState state : JobState.values()) {
            counts.put(state, 0L);
        }
        sql.sql("SELECT state, COUNT(*) AS n FROM jobs GROUP BY state")
                .query(rs -> {
                    counts.put(JobState.valueOf(rs.getString("state")), rs.getLong("n"));
                });
        return counts;
    }
}

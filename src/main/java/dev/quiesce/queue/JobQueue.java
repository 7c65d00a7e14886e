package dev.quiesce.queue;

import dev.quiesce.job.Job;
import dev.quiesce.api.JobState;
import dev.quiesce.job.NewJob;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The durable job queue (DESIGN §3). Every lease comparison uses the database clock; every write that
 * finishes or hands back a claimed job is fenced on {@code owner} and {@code state = 'RUNNING'}.
 * Implementations are thread-safe; each method is one transaction.
 */
public interface JobQueue {

    /** Inserts one job, or returns the existing one for a known idempotency key. */
    EnqueueResult enqueue(NewJob job);

    /** Inserts all jobs or none (idempotency keys are honoured per job). */
    List<EnqueueResult> enqueueAll(List<NewJob> jobs);

    Optional<Job> find(long id);

    /** Newest first; {@code state} and {@code type} are optional filters. */
    List<Job> list(JobState state, String type, int limit);

    /**
     * One page of the jobs {@code filter} matches, in {@code order} of id, starting after the cursor {@code after}
     * (null: from the first); {@link JobPage#next()} is the cursor of the following page.
     */
    JobPage page(JobFilter filter, JobPage.Order order, Long after, int limit);

    /** The job with its progress, where it runs, the last failure's stack trace and its history. */
    Optional<JobDetail> detail(long id);

    /**
     * {@code FAILED} or {@code CANCELLED} → {@code QUEUED}, ready now, with a fresh set of attempts (attempts,
     * interruptions and crashes start again from 0); the last error stays until the job runs again.
     */
    ActionResult retry(long id);

    /** {@link #retry} of every {@code FAILED} or {@code CANCELLED} job {@code filter} matches; the number retried. */
    int retryAll(JobFilter filter);

    /** Deletes a finished job ({@code SUCCEEDED}, {@code FAILED} or {@code CANCELLED}) with its history. */
    ActionResult delete(long id);

    /**
     * {@code QUEUED} → {@code CANCELLED} at once; {@code RUNNING} → cancellation requested (the owner sees it
     * on its next heartbeat); terminal → {@link CancelResult.Outcome#ALREADY_TERMINAL}.
     */
    CancelResult requestCancel(long id);

    /**
     * Claims up to {@code max} ready jobs of the given types, highest priority then oldest first, with
     * {@code FOR UPDATE SKIP LOCKED}: sets {@code RUNNING}, the owner, a lease of {@code lease} from the
     * database's now, and {@code attempts + 1}.
     */
    List<Job> claim(String owner, int max, Set<String> types);

    /**
     * Writes {@code outcomes} as {@link #settle} does and claims, for each request in turn, as {@link #claim} does —
     * in one transaction, so that a busy worker pays one commit for a batch of finished jobs and the next batch
     * of ready ones. The commit is durable when there are outcomes to write (an outcome must survive a crash)
     * and may be relaxed when there are only claims.
     */
    Exchange exchange(String owner, List<Outcome> outcomes, List<ClaimRequest> claims);

    /**
     * Extends the leases of the given running jobs by the configured lease. Reports the ones this owner
     * no longer holds (lost) and the ones whose cancellation was requested.
     */
    LeaseCheck heartbeat(String owner, Collection<Long> running);

    /**
     * Records where this owner's running jobs run and what progress they reported (the console shows both); one
     * statement per call, for the jobs whose view changed since the last call only; fenced like a lease.
     */
    void recordProgress(String owner, Map<Long, RunView> views);

    /** @param progress in [0, 1], null if the job never reported; @param runner where it runs */
    record RunView(Double progress, String runner) {
    }

    /** Writes the outcomes of finished or handed-back executions in one transaction, each one fenced. */
    List<Settlement> settle(String owner, List<Outcome> outcomes);

    /**
     * Returns to {@code QUEUED} the running jobs whose lease expired or whose owner's heartbeat is older than
     * {@code staleAfter} (or who stopped), with {@code crashes + 1}; a job that reaches
     * {@code quarantine-after} crashes becomes {@code FAILED} with reason {@code quarantined}.
     */
    ReclaimResult reclaim(java.time.Duration staleAfter);

    /** Hands back every job a previous incarnation (a dead owner) still holds, as a crash of that owner. */
    ReclaimResult reclaimOwnedBy(Collection<String> deadOwners);

    /** The ids of the jobs {@code owner} holds now ({@code RUNNING} under its lease), oldest first. */
    List<Long> runningOwnedBy(String owner);

    /** Job counts per state; every state present. Reads the whole table, history included: for tests and tools, not for a scrape. */
    Map<JobState, Long> countByState();

    /** Up to {@code max} ready jobs of {@code types}. */
    record ClaimRequest(Set<String> types, int max) {
    }

    /** What {@link #exchange} did: the settlements in the order of its outcomes, the claimed jobs per request. */
    record Exchange(List<Settlement> settlements, List<List<Job>> claimed) {
    }

    record EnqueueResult(Job job, boolean created) {
    }

    /**
     * What {@link #retry} or {@link #delete} did: {@code DONE}; {@code WRONG_STATE} with the job as it is (not
     * retryable, or not finished); {@code NOT_FOUND}.
     */
    record ActionResult(Status status, Job job) {
        public enum Status { DONE, WRONG_STATE, NOT_FOUND }
    }

    record CancelResult(Outcome outcome, Job job) {
        public enum Outcome { CANCELLED, CANCEL_REQUESTED, ALREADY_TERMINAL, NOT_FOUND }
    }

    /** @param lost jobs this owner no longer holds; @param cancelRequested jobs a client asked to cancel */
    record LeaseCheck(Set<Long> lost, Set<Long> cancelRequested) {
    }

    record ReclaimResult(int leaseExpired, int ownerDead, int quarantined) {
        public static final ReclaimResult NONE = new ReclaimResult(0, 0, 0);

        public int total() {
            return leaseExpired + ownerDead + quarantined;
        }
    }

    /** How an execution ended, as the dispatcher reports it. */
    sealed interface Outcome {
        long id();

        /** → SUCCEEDED with the handler's result. */
        record Succeeded(long id, String result) implements Outcome {
        }

        /** → QUEUED with exponential back-off while attempts remain and {@code retryable}, else FAILED. */
        record Failed(long id, String error, boolean retryable, String trace) implements Outcome {
            /** A failure without a stack trace (a child's error message, a timeout). */
            public Failed(long id, String error, boolean retryable) {
                this(id, error, retryable, null);
            }
        }

        /**
         * The job's worker process died or broke its protocol while running it: {@code crashes + 1}; FAILED as
         * {@code quarantined} once it reached {@code quarantine-after} crashes, else retried like a failure.
         */
        record Crashed(long id, String error) implements Outcome {
        }

        /** → CANCELLED (a client asked for it). */
        record Cancelled(long id, String reason) implements Outcome {
        }

        /** → QUEUED at once, owner cleared, attempt refunded, {@code interruptions + 1} (shutdown is not the job's fault). */
        record Released(long id) implements Outcome {
        }

        /**
         * A claimed job that never started here (claimed ahead of a free runner, then the instance went quiet or
         * began to stop): → QUEUED at once, owner cleared, attempt refunded, nothing else counted; CANCELLED
         * instead if a client asked for that meanwhile.
         */
        record Returned(long id) implements Outcome {
        }
    }

    /**
     * What {@link #settle} did with one outcome: the state it wrote, or {@code fenced} when the owner no
     * longer held the job (zero rows updated) and the outcome was discarded.
     */
    record Settlement(Outcome outcome, JobState newState, boolean fenced) {
        public static Settlement fenced(Outcome outcome) {
            return new Settlement(outcome, null, true);
        }
    }
}

package dev.quiesce.queue;

import dev.quiesce.job.Job;
import dev.quiesce.api.JobState;
import dev.quiesce.job.NewJob;
import dev.quiesce.queue.JobQueue.CancelResult;
import dev.quiesce.queue.JobQueue.EnqueueResult;
import dev.quiesce.queue.JobQueue.LeaseCheck;
import dev.quiesce.queue.JobQueue.Outcome;
import dev.quiesce.queue.JobQueue.ReclaimResult;
import dev.quiesce.queue.JobQueue.Settlement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.util.unit.DataSize;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The semantics of the durable queue (DESIGN §3), run unchanged against every supported database by one
 * tiny subclass each. No Spring context: the queue is built by hand on a migrated database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JobQueueContract {

    static final String OWNER = "instance-a";
    static final String OTHER = "instance-b";
    static final Set<String> ALL_TYPES = Set.of("echo", "sleep", "other");

    QueueTestDatabase database;
    JdbcTemplate jdbc;
    JdbcWorkerRegistry workers;
    final List<Object> events = new CopyOnWriteArrayList<>();
    JobQueue queue;

    /** Opens and migrates the database once per class (or aborts the class, loudly). */
    abstract QueueTestDatabase openDatabase();

    void closeDatabase() {
        if (database != null) {
            database.close();
        }
    }

    @BeforeAll
    void open() {
        database = openDatabase();
        jdbc = new JdbcTemplate(database.dataSource());
        workers = new JdbcWorkerRegistry(org.springframework.jdbc.core.simple.JdbcClient.create(jdbc));
    }

    @AfterAll
    void close() {
        closeDatabase();
    }

    @BeforeEach
    void emptyQueue() {
        database.deleteAll();
        events.clear();
        queue = queue(properties(Duration.ofSeconds(30), 3, Duration.ofSeconds(1), Duration.ofMinutes(10)));
        workers.register(OWNER, "a", "host", 1);
        workers.register(OTHER, "b", "host", 2);
    }

    JobQueue queue(QueueProperties properties) {
        return new JdbcJobQueue(jdbc, new DataSourceTransactionManager(database.dataSource()), properties, events::add,
                database.dialect());
    }

    static QueueProperties properties(Duration lease, int quarantineAfter, Duration backoff, Duration backoffMax) {
        return new QueueProperties(lease, lease.dividedBy(2), DataSize.ofKilobytes(256), quarantineAfter, backoff, backoffMax, Duration.ofDays(366));
    }

    // ---------------------------------------------------------------------------------------------- claim

    @Test
    void fourClaimersClaimingTwoThousandJobsClaimEveryJobExactlyOnce() throws Exception {
        List<NewJob> jobs = IntStream.range(0, 2000).mapToObj(i -> NewJob.of("echo", "{\"i\":" + i + "}")).toList();
        Set<Long> enqueued = Set.copyOf(queue.enqueueAll(jobs).stream().map(r -> r.job().id()).toList());
        List<Long> claimed = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService threads = Executors.newFixedThreadPool(4)) {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String owner = "claimer-" + t;
                // One queue object per claimer, as if each were another instance: nothing in-process orders them.
                JobQueue claimer = queue(properties(Duration.ofSeconds(30), 3, Duration.ofSeconds(1), Duration.ofMinutes(10)));
                runs.add(threads.submit(() -> {
                    while (true) {
                        List<Job> batch = claimer.claim(owner, ThreadLocalRandom.current().nextInt(1, 6), ALL_TYPES);
                        batch.forEach(job -> claimed.add(job.id()));
                        // An empty claim under contention is allowed; the claimer stops once nothing is queued.
                        if (batch.isEmpty() && claimer.list(JobState.QUEUED, null, 1).isEmpty()) {
                            return;
                        }
                    }
                }));
            }
            for (Future<?> run : runs) {
                run.get();
            }
        }
        assertThat(claimed).hasSize(2000).doesNotHaveDuplicates();
        assertThat(Set.copyOf(claimed)).isEqualTo(enqueued);
        assertThat(queue.countByState()).containsEntry(JobState.RUNNING, 2000L).containsEntry(JobState.QUEUED, 0L);
    }

    @Test
    void claimTakesTheHighestPriorityFirstThenTheOldest() {
        long low = enqueue(job("echo", 0)).id();
        long high = enqueue(job("echo", 5)).id();
        long lowLater = enqueue(job("echo", 0)).id();
        long highLater = enqueue(job("echo", 5)).id();

        assertThat(queue.claim(OWNER, 3, ALL_TYPES)).extracting(Job::id).containsExactly(high, highLater, low);
        assertThat(queue.claim(OWNER, 3, ALL_TYPES)).extracting(Job::id).containsExactly(lowLater);
    }

    @Test
    void aJobWhoseRunAtIsInTheFutureIsNotClaimedUntilItIsDue() {
        long due = enqueue(NewJob.of("echo", "{}")).id();
        long later = enqueue(new NewJob("echo", "{}", 9, 5, null, Instant.now().plus(Duration.ofHours(1)))).id();

        assertThat(queue.claim(OWNER, 10, ALL_TYPES)).extracting(Job::id).containsExactly(due);
        jdbc.update("UPDATE jobs SET run_at = " + minusMillis(1000) + " WHERE id = ?", later);
        assertThat(queue.claim(OWNER, 10, ALL_TYPES)).extracting(Job::id).containsExactly(later);
    }

    @Test
    void claimTakesOnlyTheRequestedTypes() {
        long echo = enqueue(NewJob.of("echo", "{}")).id();
        long sleep = enqueue(NewJob.of("sleep", "{}")).id();

        assertThat(queue.claim(OWNER, 10, Set.of("sleep"))).extracting(Job::id).containsExactly(sleep);
        assertThat(queue.claim(OWNER, 10, Set.of())).isEmpty();
        assertThat(queue.claim(OWNER, 10, Set.of("echo", "missing"))).extracting(Job::id).containsExactly(echo);
    }

    @Test
    void runningOwnedByListsOnlyTheJobsThisOwnerHoldsNow() {
        long mine = enqueue(job("echo", 2)).id();
        long theirs = enqueue(job("echo", 1)).id();
        long finished = enqueue(job("echo", 0)).id();
        enqueue(job("echo", -1));
        assertThat(queue.claim(OWNER, 1, ALL_TYPES)).extracting(Job::id).containsExactly(mine);
        assertThat(queue.claim(OTHER, 1, ALL_TYPES)).extracting(Job::id).containsExactly(theirs);
        assertThat(queue.claim(OWNER, 1, ALL_TYPES)).extracting(Job::id).containsExactly(finished);
        queue.settle(OWNER, List.of(new Outcome.Succeeded(finished, "done")));

        assertThat(queue.runningOwnedBy(OWNER)).containsExactly(mine);
        assertThat(queue.runningOwnedBy(OTHER)).containsExactly(theirs);
        assertThat(queue.runningOwnedBy("nobody")).isEmpty();
    }

    @Test
    void claimSetsRunningTheOwnerTheAttemptAndALeaseFromTheDatabaseClock() {
        long id = enqueue(NewJob.of("echo", "{}")).id();
        Instant before = dbNow();

        Job job = queue.claim(OWNER, 1, ALL_TYPES).getFirst();

        Instant after = dbNow();
        assertThat(job.id()).isEqualTo(id);
        assertThat(job.state()).isEqualTo(JobState.RUNNING);
        assertThat(job.owner()).isEqualTo(OWNER);
        assertThat(job.attempts()).isEqualTo(1);
        assertThat(job.startedAt()).isBetween(before, after);
        assertThat(leaseUntil(id)).isBetween(before.plusSeconds(30), after.plusSeconds(30));
        assertThat(queue.find(id)).contains(job);
    }

    // -------------------------------------------------------------------------------------- fencing

    @Test
    void aCompletionByAnOwnerThatLostTheJobIsFencedAndChangesNothing() {
        long id = enqueue(NewJob.of("echo", "{}")).id();
        queue.claim(OWNER, 1, ALL_TYPES);
        expireLease(id);
        assertThat(queue.reclaim(Duration.ofMinutes(1)).leaseExpired()).isEqualTo(1);
        Job reclaimedBy = queue.claim(OTHER, 1, ALL_TYPES).getFirst();

        List<Settlement> settlements = queue.settle(OWNER, List.of(new Outcome.Succeeded(id, "late")));

        assertThat(settlements).singleElement().satisfies(s -> {
            assertThat(s.fenced()).isTrue();
            assertThat(s.newState()).isNull();
        });
        assertThat(queue.find(id)).contains(reclaimedBy);
    }

    @Test
    void settleReportsEachOutcomeOnItsOwnAndTheDriverReportsRealUpdateCounts() throws Exception {
        long mine = enqueue(NewJob.of("echo", "{}")).id();
        long theirs = enqueue(NewJob.of("echo", "{}")).id();
        queue.claim(OWNER, 1, ALL_TYPES);
        queue.claim(OTHER, 1, ALL_TYPES);

        List<Settlement> settlements = queue.settle(OWNER, List.of(new Outcome.Succeeded(theirs, "x"),
                new Outcome.Succeeded(mine, "ok"), new Outcome.Released(theirs)));

        assertThat(settlements).extracting(Settlement::fenced).containsExactly(true, false, true);
        assertThat(settlements.get(1).newState()).isEqualTo(JobState.SUCCEEDED);
        // Fencing relies on per-row batch counts: a driver answering SUCCESS_NO_INFO (-2) would hide it.
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement update = connection.prepareStatement("UPDATE jobs SET priority = priority WHERE id = ?")) {
            update.setLong(1, mine);
            update.addBatch();
            update.setLong(1, -1);
            update.addBatch();
            assertThat(update.executeBatch()).containsExactly(1, 0);
        }
    }

    @Test
    void oneJobSettledTwiceInOneCallIsWrittenOnceAndTheSecondOutcomeIsFenced() {
        long first = enqueue(NewJob.of("echo", "{}")).id();
        long second = enqueue(NewJob.of("echo", "{}")).id();
        queue.claim(OWNER, 2, ALL_TYPES);

        List<Settlement> settlements = queue.settle(OWNER, List.of(new Outcome.Succeeded(first, "one"),
                new Outcome.Succeeded(second, null), new Outcome.Succeeded(first, "two")));

        assertThat(settlements).extracting(Settlement::fenced).containsExactly(false, false, true);
        assertThat(queue.find(first).orElseThrow().result()).isEqualTo("one");
        assertThat(queue.find(second).orElseThrow().result()).isNull();
    }

    @Test
    void manyOutcomesOfEveryKindInOneCallEachLandWithTheirOwnTextResultsWholeErrorsCut() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(enqueue(NewJob.of("echo", "{}")).id());
        }
        queue.claim(OWNER, 40, ALL_TYPES);
        String longError = "x".repeat(SettlementWriter.MAX_ERROR_CHARS + 100);
        String longResult = "r".repeat(SettlementWriter.MAX_ERROR_CHARS * 2);
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            long id = ids.get(i);
            outcomes.add(switch (i % 5) {
                case 0 -> new Outcome.Succeeded(id, i == 0 ? longResult : "result " + i);
                case 1 -> new Outcome.Failed(id, i == 1 ? longError : "error " + i, false);
                case 2 -> new Outcome.Failed(id, "retry " + i, true);
                case 3 -> new Outcome.Crashed(id, "crash " + i);
                default -> new Outcome.Returned(id);
            });
        }

        List<Settlement> settlements = queue.settle(OWNER, outcomes);

        assertThat(settlements).extracting(Settlement::fenced).containsOnly(false);
        for (int i = 0; i < 40; i++) {
            Job job = queue.find(ids.get(i)).orElseThrow();
            switch (i % 5) {
                case 0 -> assertThat(job.result()).isEqualTo(i == 0 ? longResult : "result " + i);
                case 1 -> assertThat(job.lastError()).isEqualTo(i == 1 ? longError.substring(0, SettlementWriter.MAX_ERROR_CHARS)
                        : "error " + i);
                case 2 -> assertThat(job.lastError()).isEqualTo("retry " + i);
                case 3 -> assertThat(job.lastError()).isEqualTo("crash " + i);
                default -> assertThat(job.attempts()).isZero();
            }
            assertThat(job.state()).isEqualTo(switch (i % 5) {
                case 0 -> JobState.SUCCEEDED;
                case 1 -> JobState.FAILED;
                default -> JobState.QUEUED;
            });
        }
    }

    // -------------------------------------------------------------------------------------- reclaim

    @Test
    void aJobWhoseLeaseExpiredIsReclaimedAsACrash() {
        queue = queue(properties(Duration.ofSeconds(1), 3, Duration.ofSeconds(1), Duration.ofMinutes(10)));
        long id = enqueue(NewJob.of("echo", "{}")).id();
        queue.claim(OWNER, 1, ALL_TYPES);
        assertThat(queue.reclaim(Duration.ofMinutes(1))).isEqualTo(ReclaimResult.NONE);

        await().atMost(Duration.ofSeconds(10)).until(() -> queue.reclaim(Duration.ofMinutes(1)).leaseExpired() == 1);

        Job job = queue.find(id).orElseThrow();
        assertThat(job.state()).isEqualTo(JobState.QUEUED);
        assertThat(job.owner()).isNull();
        assertThat(job.crashes()).isEqualTo(1);
        assertThat(job.attempts()).isEqualTo(1);
        assertThat(leaseUntil(id)).isNull();
    }

    @Test
    void jobsOfDeadOwnersAreReclaimedAndCountedByReason() {
        workers.register("stale", "s", "host", 3);
        workers.register("stopped", "t", "host", 4);
        workers.markStopped("stopped");
        jdbc.update("UPDATE workers SET heartbeat_at = " + minusMillis(60_000) + " WHERE id = 'stale'");
        long stale = claimedBy("stale");
        long stopped = claimedBy("stopped");
        long unregistered = claimedBy("never-registered");
        long expiredAndStale = claimedBy("stale");
        expireLease(expiredAndStale);
        long alive = claimedBy(OWNER);

        ReclaimResult result = queue.reclaim(Duration.ofSeconds(30));

        assertThat(result).isEqualTo(new ReclaimResult(1, 3, 0));
        assertThat(List.of(stale, stopped, unregistered, expiredAndStale)).allSatisfy(id -> {
            Job job = queue.find(id).orElseThrow();
            assertThat(job.state()).isEqualTo(JobState.QUEUED);
            assertThat(job.crashes()).isEqualTo(1);
        });
        assertThat(queue.find(alive).orElseThrow().state()).isEqualTo(JobState.RUNNING);
        assertThat(queue.reclaim(Duration.ofSeconds(30))).isEqualTo(ReclaimResult.NONE);
    }

    @Test
    void reclaimOwnedByHandsBackEveryJobOfTheDeadOwnersOnly() {
        long first = claimedBy(OTHER);
        long second = claimedBy(OTHER);
        long mine = claimedBy(OWNER);

        assertThat(queue.reclaimOwnedBy(List.of(OTHER, "unknown"))).isEqualTo(new ReclaimResult(0, 2, 0));

        assertThat(queue.find(first).orElseThrow().state()).isEqualTo(JobState.QUEUED);
        assertThat(queue.find(second).orElseThrow().crashes()).isEqualTo(1);
        assertThat(queue.find(mine).orElseThrow().state()).isEqualTo(JobState.RUNNING);
        assertThat(queue.reclaimOwnedBy(List.of())).isEqualTo(ReclaimResult.NONE);
    }

    @Test
    void aJobThatCrashedItsWorkerQuarantineAfterTimesIsFailedAsQuarantined() {
        long id = enqueue(NewJob.of("echo", "{}")).id();
        for (int crash = 1; crash <= 2; crash++) {
            queue.claim(OTHER, 1, ALL_TYPES);
            assertThat(queue.reclaimOwnedBy(List.of(OTHER)).ownerDead()).isEqualTo(1);
        }
        queue.claim(OTHER, 1, ALL_TYPES);

        assertThat(queue.reclaimOwnedBy(List.of(OTHER))).isEqualTo(new ReclaimResult(0, 0, 1));

        Job job = queue.find(id).orElseThrow();
        assertThat(job.state()).isEqualTo(JobState.FAILED);
        assertThat(job.crashes()).isEqualTo(3);
        assertThat(job.lastError()).contains("quarantined").contains("3 times");
        assertThat(job.finishedAt()).isNotNull();
    }

    // -------------------------------------------------------------------------------------- outcomes

    @Test
    void failedAttemptsRetryWithExponentialBackOffCappedAndEndFailedWithTheLastError() {
        queue = queue(properties(Duration.ofSeconds(30), 3, Duration.ofSeconds(1), Duration.ofSeconds(3)));
        long id = enqueue(new NewJob("echo", "{}", 0, 4, null, null)).id();
        long[] expectedBackoffMillis = {1000, 2000, 3000};
        for (long backoff : expectedBackoffMillis) {
            makeDue(id);
            Job claimed = queue.claim(OWNER, 1, ALL_TYPES).getFirst();
            Instant before = dbNow();
            Settlement settlement = queue.settle(OWNER, List.of(new Outcome.Failed(id, "boom " + claimed.attempts(), true))).getFirst();
            Instant after = dbNow();

            assertThat(settlement.newState()).isEqualTo(JobState.QUEUED);
            Job job = queue.find(id).orElseThrow();
            assertThat(job.state()).isEqualTo(JobState.QUEUED);
            assertThat(job.owner()).isNull();
            assertThat(job.lastError()).isEqualTo("boom " + claimed.attempts());
            assertThat(job.runAt()).isBetween(before.plusMillis(backoff), after.plusMillis(backoff));
            assertThat(queue.claim(OWNER, 1, ALL_TYPES)).as("not claimable during its back-off").isEmpty();
        }
        makeDue(id);
        assertThat(queue.claim(OWNER, 1, ALL_TYPES).getFirst().attempts()).isEqualTo(4);

        Settlement last = queue.settle(OWNER, List.of(new Outcome.Failed(id, "boom 4", true))).getFirst();

        assertThat(last.newState()).isEqualTo(JobState.FAILED);
        Job job = queue.find(id).orElseThrow();
        assertThat(job.state()).isEqualTo(JobState.FAILED);
        assertThat(job.lastError()).isEqualTo("boom 4");
        assertThat(job.finishedAt()).isNotNull();
    }

    @Test
    void aNonRetryableFailureFailsTheJobAtOnce() {
        long id = claimedBy(OWNER);

        Settlement settlement = queue.settle(OWNER, List.of(new Outcome.Failed(id, "bad input", false))).getFirst();

        assertThat(settlement.newState()).isEqualTo(JobState.FAILED);
        Job job = queue.find(id).orElseThrow();
        assertThat(job.state()).isEqualTo(JobState.FAILED);
        assertThat(job.attempts()).isEqualTo(1);
        assertThat(job.lastError()).isEqualTo("bad input");
    }

    @Test
    void aSucceededOutcomeStoresTheResultAndKeepsTheOwner() {
        long id = claimedBy(OWNER);

        assertThat(queue.settle(OWNER, List.of(new Outcome.Succeeded(id, "{\"ok\":true}"))))
                .extracting(Settlement::newState).containsExactly(JobState.SUCCEEDED);

        Job job = queue.find(id).orElseThrow();
        assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(job.result()).isEqualTo("{\"ok\":true}");
        assertThat(job.owner()).isEqualTo(OWNER);
        assertThat(job.finishedAt()).isNotNull();
        assertThat(leaseUntil(id)).isNull();
    }

    @Test
    void aReleasedJobIsQueuedAgainWithItsAttemptRefundedAndKeepsItsPlace() {
        long id = claimedBy(OWNER);
        Instant runAt = queue.find(id).orElseThrow().runAt();
        long younger = enqueue(NewJob.of("echo", "{}")).id();

        assertThat(queue.settle(OWNER, List.of(new Outcome.Released(id))))
                .extracting(Settlement::newState).containsExactly(JobState.QUEUED);

        Job job = queue.find(id).orElseThrow();
        assertThat(job.state()).isEqualTo(JobState.QUEUED);
        assertThat(job.owner()).isNull();
        assertThat(job.attempts()).isZero();
        assertThat(job.interruptions()).isEqualTo(1);
        assertThat(job.runAt()).isEqualTo(runAt);
        assertThat(queue.claim(OWNER, 2, ALL_TYPES)).extracting(Job::id).containsExactly(id, younger);
    }

    @Test
    void aReleasedJobWhoseCancellationWasRequestedIsCancelledInstead() {
        long id = claimedBy(OWNER);
        queue.requestCancel(id);

        assertThat(queue.settle(OWNER, List.of(new Outcome.Released(id))))
                .extracting(Settlement::newState).containsExactly(JobState.CANCELLED);
        assertThat(queue.find(id).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
    }

    @Test
    void aReturnedJobNeverStartedIsQueuedAgainWithItsAttemptRefundedAndNoInterruptionCounted() {
        long id = claimedBy(OWNER);
        long younger = enqueue(NewJob.of("echo", "{}")).id();

        assertThat(queue.settle(OWNER, List.of(new Outcome.Returned(id))))
                .extracting(Settlement::newState).containsExactly(JobState.QUEUED);

        Job job = queue.find(id).orElseThrow();
        assertThat(job.state()).isEqualTo(JobState.QUEUED);
        assertThat(job.owner()).isNull();
        assertThat(job.attempts()).isZero();
        assertThat(job.interruptions()).isZero();
        assertThat(queue.claim(OWNER, 2, ALL_TYPES)).extracting(Job::id).containsExactly(id, younger);
    }

    @Test
    void aReturnedJobWhoseCancellationWasRequestedIsCancelledInstead() {
        long id = claimedBy(OWNER);
        queue.requestCancel(id);

        assertThat(queue.settle(OWNER, List.of(new Outcome.Returned(id))))
                .extracting(Settlement::newState).containsExactly(JobState.CANCELLED);
        assertThat(queue.find(id).orElseThrow().lastError()).contains("before the job started");
    }

    @Test
    void anExchangeWritesOutcomesAndClaimsPerRequestInOneCall() {
        long done = claimedBy(OWNER);
        long theirs = claimedBy(OTHER);
        long echo1 = enqueue(NewJob.of("echo", "{}")).id();
        long sleep1 = enqueue(NewJob.of("sleep", "{}")).id();
        long echo2 = enqueue(NewJob.of("echo", "{}")).id();

        JobQueue.Exchange exchange = queue.exchange(OWNER,
                List.of(new Outcome.Succeeded(done, "ok"), new Outcome.Succeeded(theirs, "stolen")),
                List.of(new JobQueue.ClaimRequest(Set.of("echo"), 1), new JobQueue.ClaimRequest(Set.of("sleep"), 5),
                        new JobQueue.ClaimRequest(Set.of("other"), 0)));

        assertThat(exchange.settlements()).extracting(Settlement::fenced).containsExactly(false, true);
        assertThat(exchange.claimed()).hasSize(3);
        assertThat(exchange.claimed().get(0)).extracting(Job::id).containsExactly(echo1);
        assertThat(exchange.claimed().get(1)).extracting(Job::id).containsExactly(sleep1);
        assertThat(exchange.claimed().get(2)).isEmpty();
        assertThat(queue.find(done).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(queue.find(theirs).orElseThrow().owner()).isEqualTo(OTHER);
        assertThat(queue.find(echo1).orElseThrow().owner()).isEqualTo(OWNER);
        assertThat(queue.find(echo2).orElseThrow().state()).isEqualTo(JobState.QUEUED);
    }

    @Test
    void anExchangeWithNothingToDoAnswersEmptyPerRequest() {
        JobQueue.Exchange exchange = queue.exchange(OWNER, List.of(), List.of(new JobQueue.ClaimRequest(Set.of("echo"), 0)));

        assertThat(exchange.settlements()).isEmpty();
        assertThat(exchange.claimed()).containsExactly(List.of());
    }

    @Test
    void aCrashOfItsWorkerCountsAgainstTheJobAndRetriesIt() {
        long id = claimedBy(OWNER);

        assertThat(queue.settle(OWNER, List.of(new Outcome.Crashed(id, "child pid 7 exited with code 3"))))
                .extracting(Settlement::newState).containsExactly(JobState.QUEUED);

        Job job = queue.find(id).orElseThrow();
        assertThat(job.crashes()).isEqualTo(1);
        assertThat(job.attempts()).isEqualTo(1);
        assertThat(job.owner()).isNull();
        assertThat(job.lastError()).isEqualTo("child pid 7 exited with code 3");
    }

    @Test
    void aJobWhoseTaskCrashedItsWorkerQuarantineAfterTimesIsFailedAsQuarantined() {
        long id = enqueue(new NewJob("echo", "{}", 0, 10, null, null)).id();
        for (int crash = 1; crash <= 3; crash++) {
            jdbc.update("UPDATE jobs SET run_at = CURRENT_TIMESTAMP WHERE id = ?", id);
            assertThat(queue.claim(OWNER, 1, ALL_TYPES)).extracting(Job::id).containsExactly(id);
            JobState expected = crash < 3 ? JobState.QUEUED : JobState.FAILED;
            assertThat(queue.settle(OWNER, List.of(new Outcome.Crashed(id, "crash " + crash))))
                    .extracting(Settlement::newState).containsExactly(expected);
        }

        Job job = queue.find(id).orElseThrow();
        assertThat(job.crashes()).isEqualTo(3);
        assertThat(job.lastError()).isEqualTo("quarantined: crashed its worker 3 times; last: crash 3");
        assertThat(job.finishedAt()).isNotNull();
    }

    @Test
    void aCrashOutcomeOfAJobThisOwnerLostIsFenced() {
        long id = claimedBy(OWNER);
        jdbc.update("UPDATE jobs SET owner = ? WHERE id = ?", OTHER, id);

        assertThat(queue.settle(OWNER, List.of(new Outcome.Crashed(id, "gone")))).extracting(Settlement::fenced).containsExactly(true);
        assertThat(queue.find(id).orElseThrow().crashes()).isZero();
    }

    @Test
    void aCancelledOutcomeCancelsTheJobWithItsReason() {
        long id = claimedBy(OWNER);

        assertThat(queue.settle(OWNER, List.of(new Outcome.Cancelled(id, "cancelled by client"))))
                .extracting(Settlement::newState).containsExactly(JobState.CANCELLED);

        Job job = queue.find(id).orElseThrow();
        assertThat(job.state()).isEqualTo(JobState.CANCELLED);
        assertThat(job.lastError()).isEqualTo("cancelled by client");
        assertThat(job.finishedAt()).isNotNull();
    }

    // -------------------------------------------------------------------------------------- enqueue

    @Test
    void anEnqueuedJobIsQueuedWithItsPayloadExactlyAsSentAndAnEventAfterCommit() {
        String payload = "{ \"b\" : 1,\n \"a\" : [\"é\", null] }";

        EnqueueResult result = queue.enqueue(new NewJob("echo", payload, 3, 7, null, null));

        assertThat(result.created()).isTrue();
        Job job = result.job();
        assertThat(job.state()).isEqualTo(JobState.QUEUED);
        assertThat(job.payload()).isEqualTo(payload);
        assertThat(job.priority()).isEqualTo(3);
        assertThat(job.maxAttempts()).isEqualTo(7);
        assertThat(job.attempts()).isZero();
        assertThat(job.createdAt()).isNotNull();
        assertThat(job.runAt()).isEqualTo(job.createdAt());
        assertThat(queue.find(job.id())).contains(job);
        assertThat(events).containsExactly(new JobsEnqueued(1, 1));
    }

    @Test
    void onlyJobsDueNowAreAnnouncedAsDue() {
        queue.enqueueAll(List.of(NewJob.of("echo", "{}"),
                new NewJob("echo", "{}", 0, 5, null, Instant.now().plusSeconds(3600)),
                new NewJob("echo", "{}", 0, 5, null, Instant.now().minusSeconds(60))));
        queue.enqueue(new NewJob("echo", "{}", 0, 5, null, Instant.now().plusSeconds(3600)));

        // A job for later wakes no claim (it could not take it) and no other instance; the poll finds it when due.
        assertThat(events).containsExactly(new JobsEnqueued(3, 2), new JobsEnqueued(1, 0));
        assertThat(((JobsEnqueued) events.getLast()).anyDue()).isFalse();
    }

    @Test
    void aPayloadOfSeveralMebibytesIsStoredWhole() {
        String payload = "\"" + "x".repeat(3 * 1024 * 1024) + "\"";

        long id = enqueue(NewJob.of("echo", payload)).id();

        assertThat(queue.find(id).orElseThrow().payload()).isEqualTo(payload);
    }

    @Test
    void reusingAnIdempotencyKeyForTheSameJobReturnsTheExistingJob() {
        NewJob job = new NewJob("echo", "{\"a\":1}", 0, 5, "key-1", null);
        EnqueueResult first = queue.enqueue(job);

        EnqueueResult again = queue.enqueue(job);

        assertThat(first.created()).isTrue();
        assertThat(again.created()).isFalse();
        assertThat(again.job()).isEqualTo(first.job());
        assertThat(queue.countByState().get(JobState.QUEUED)).isEqualTo(1);
        assertThat(events).containsExactly(new JobsEnqueued(1, 1));
    }

    @Test
    void reusingAnIdempotencyKeyForAnotherTypeOrPayloadConflicts() {
        long id = queue.enqueue(new NewJob("echo", "{\"a\":1}", 0, 5, "key-1", null)).job().id();

        assertThatThrownBy(() -> queue.enqueue(new NewJob("echo", "{\"a\":2}", 0, 5, "key-1", null)))
                .isInstanceOfSatisfying(IdempotencyConflictException.class, e -> assertThat(e.existingJobId()).isEqualTo(id));
        assertThatThrownBy(() -> queue.enqueue(new NewJob("sleep", "{\"a\":1}", 0, 5, "key-1", null)))
                .isInstanceOfSatisfying(IdempotencyConflictException.class, e -> assertThat(e.existingJobId()).isEqualTo(id));
    }

    @Test
    void concurrentEnqueuesOfOneIdempotencyKeyCreateOneJob() throws Exception {
        for (int round = 0; round < 20; round++) {
            NewJob job = new NewJob("echo", "{}", 0, 5, "race-" + round, null);
            List<EnqueueResult> results = Collections.synchronizedList(new ArrayList<>());
            try (ExecutorService threads = Executors.newFixedThreadPool(4)) {
                List<Future<?>> posts = IntStream.range(0, 4).<Future<?>>mapToObj(i -> threads.submit(() -> results.add(queue.enqueue(job)))).toList();
                for (Future<?> post : posts) {
                    post.get();
                }
            }
            assertThat(results).hasSize(4).extracting(r -> r.job().id()).containsOnly(results.getFirst().job().id());
            assertThat(results).filteredOn(EnqueueResult::created).hasSize(1);
        }
        assertThat(queue.countByState().get(JobState.QUEUED)).isEqualTo(20);
    }

    @Test
    void enqueueAllIsAllOrNothing() {
        queue.enqueue(new NewJob("echo", "{\"a\":1}", 0, 5, "taken", null));
        List<NewJob> conflicting = List.of(NewJob.of("echo", "{}"), new NewJob("echo", "{}", 0, 5, "fresh", null),
                new NewJob("echo", "{\"a\":2}", 0, 5, "taken", null), NewJob.of("echo", "{}"));
        List<NewJob> tooLongType = List.of(new NewJob("echo", "{}", 0, 5, "fresh", null), NewJob.of("echo", "{}"),
                NewJob.of("x".repeat(500), "{}"), NewJob.of("echo", "{}"));

        assertThatThrownBy(() -> queue.enqueueAll(conflicting)).isInstanceOf(IdempotencyConflictException.class);
        assertThatThrownBy(() -> queue.enqueueAll(tooLongType)).isInstanceOf(org.springframework.dao.DataAccessException.class);

        assertThat(queue.list(null, null, 100)).hasSize(1);
        List<EnqueueResult> results = queue.enqueueAll(List.of(NewJob.of("echo", "{}"),
                new NewJob("echo", "{\"a\":1}", 0, 5, "taken", null), NewJob.of("sleep", "{}")));
        assertThat(results).extracting(EnqueueResult::created).containsExactly(true, false, true);
        assertThat(results).extracting(r -> r.job().type()).containsExactly("echo", "echo", "sleep");
        assertThat(events).containsExactly(new JobsEnqueued(1, 1), new JobsEnqueued(2, 2));
    }

    // -------------------------------------------------------------------------------------- cancel

    @Test
    void cancellingAQueuedJobCancelsItAtOnce() {
        long id = enqueue(NewJob.of("echo", "{}")).id();

        CancelResult result = queue.requestCancel(id);

        assertThat(result.outcome()).isEqualTo(CancelResult.Outcome.CANCELLED);
        assertThat(result.job().state()).isEqualTo(JobState.CANCELLED);
        assertThat(result.job().finishedAt()).isNotNull();
        assertThat(queue.claim(OWNER, 1, ALL_TYPES)).isEmpty();
    }

    @Test
    void cancellingARunningJobRequestsItAndTheOwnersHeartbeatReportsIt() {
        long id = claimedBy(OWNER);
        long other = claimedBy(OWNER);

        CancelResult result = queue.requestCancel(id);

        assertThat(result.outcome()).isEqualTo(CancelResult.Outcome.CANCEL_REQUESTED);
        assertThat(queue.find(id).orElseThrow().state()).isEqualTo(JobState.RUNNING);
        assertThat(events).contains(new JobCancelRequested(id));
        assertThat(queue.heartbeat(OWNER, List.of(id, other))).isEqualTo(new LeaseCheck(Set.of(), Set.of(id)));
    }

    @Test
    void cancellingAFinishedOrUnknownJobSaysSo() {
        long id = claimedBy(OWNER);
        queue.settle(OWNER, List.of(new Outcome.Succeeded(id, null)));

        assertThat(queue.requestCancel(id).outcome()).isEqualTo(CancelResult.Outcome.ALREADY_TERMINAL);
        assertThat(queue.requestCancel(id).job().state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(queue.requestCancel(987_654_321L)).isEqualTo(new CancelResult(CancelResult.Outcome.NOT_FOUND, null));
    }

    // -------------------------------------------------------------------------------------- heartbeat

    @Test
    void aHeartbeatExtendsTheLeasesItHoldsAndReportsTheLostOnes() {
        long kept = claimedBy(OWNER);
        long lost = claimedBy(OWNER);
        long finished = claimedBy(OWNER);
        jdbc.update("UPDATE jobs SET lease_until = " + minusMillis(-1000) + " WHERE id = ?", kept);
        jdbc.update("UPDATE jobs SET owner = ? WHERE id = ?", OTHER, lost);
        queue.settle(OWNER, List.of(new Outcome.Succeeded(finished, null)));
        Instant before = dbNow();

        LeaseCheck check = queue.heartbeat(OWNER, List.of(kept, lost, finished));

        assertThat(check).isEqualTo(new LeaseCheck(Set.of(lost, finished), Set.of()));
        assertThat(leaseUntil(kept)).isAfterOrEqualTo(before.plusSeconds(30));
        assertThat(queue.heartbeat(OWNER, List.of())).isEqualTo(new LeaseCheck(Set.of(), Set.of()));
    }

    // -------------------------------------------------------------------------------------- reading

    @Test
    void countByStateHasEveryState() {
        assertThat(queue.countByState()).containsOnlyKeys(JobState.values()).allSatisfy((state, n) -> assertThat(n).isZero());
        enqueue(NewJob.of("echo", "{}"));
        claimedBy(OWNER);

        assertThat(queue.countByState()).containsEntry(JobState.QUEUED, 1L).containsEntry(JobState.RUNNING, 1L)
                .containsEntry(JobState.SUCCEEDED, 0L).hasSize(JobState.values().length);
    }

    @Test
    void listReturnsTheNewestFirstFilteredAndLimited() {
        long echo1 = enqueue(NewJob.of("echo", "{}")).id();
        long sleep = enqueue(NewJob.of("sleep", "{}")).id();
        long echo2 = enqueue(NewJob.of("echo", "{}")).id();
        long running = claimedBy(OWNER);

        assertThat(queue.list(null, null, 10)).extracting(Job::id).containsExactly(running, echo2, sleep, echo1);
        assertThat(queue.list(null, "echo", 10)).extracting(Job::id).containsExactly(echo2, echo1);
        assertThat(queue.list(JobState.QUEUED, null, 2)).extracting(Job::id).containsExactly(echo2, sleep);
        assertThat(queue.list(JobState.RUNNING, "other", 10)).extracting(Job::id).containsExactly(running);
        assertThat(queue.list(JobState.FAILED, null, 10)).isEmpty();
    }

    // -------------------------------------------------------------------------------------- workers

    @Test
    void theWorkerRegistryTellsUnfinishedIncarnationsFromStoppedOnes() {
        workers.register("a-1", "alpha", "host", 10);
        workers.register("a-2", "alpha", "host", 11);
        workers.register("a-3", "alpha", "host", 12);
        workers.markStopped("a-2");
        workers.heartbeat("a-3", WorkerRegistry.InstanceState.DRAINING);

        assertThat(workers.unfinishedIncarnations("alpha", "a-3")).containsExactly("a-1");
        assertThat(jdbc.queryForObject("SELECT state FROM workers WHERE id = 'a-3'", String.class)).isEqualTo("DRAINING");
        assertThat(jdbc.queryForObject("SELECT stopped_at FROM workers WHERE id = 'a-2'", OffsetDateTime.class)).isNotNull();
        workers.heartbeat("nobody", WorkerRegistry.InstanceState.RUNNING);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM workers WHERE id = 'nobody'", Integer.class)).isZero();
    }

    @Test
    void aHeartbeatingWorkerKeepsItsJobsAndAStoppedOneLosesThem() {
        long id = claimedBy(OTHER);
        jdbc.update("UPDATE workers SET heartbeat_at = " + minusMillis(60_000) + " WHERE id = ?", OTHER);
        workers.heartbeat(OTHER, WorkerRegistry.InstanceState.RUNNING);
        assertThat(queue.reclaim(Duration.ofSeconds(30))).isEqualTo(ReclaimResult.NONE);

        workers.markStopped(OTHER);

        assertThat(queue.reclaim(Duration.ofSeconds(30))).isEqualTo(new ReclaimResult(0, 1, 0));
        assertThat(queue.find(id).orElseThrow().state()).isEqualTo(JobState.QUEUED);
    }

    // -------------------------------------------------------------------------------------- helpers

    static NewJob job(String type, int priority) {
        return new NewJob(type, "{}", priority, NewJob.DEFAULT_MAX_ATTEMPTS, null, null);
    }

    Job enqueue(NewJob job) {
        return queue.enqueue(job).job();
    }

    /** A fresh job claimed by {@code owner} (which need not be registered). */
    long claimedBy(String owner) {
        long id = enqueue(NewJob.of("other", "{}")).id();
        assertThat(queue.claim(owner, 1, Set.of("other"))).extracting(Job::id).containsExactly(id);
        return id;
    }

    String minusMillis(long millis) {
        return database.dialect().plusMillis("CURRENT_TIMESTAMP", String.valueOf(-millis));
    }

    void expireLease(long id) {
        jdbc.update("UPDATE jobs SET lease_until = " + minusMillis(1000) + " WHERE id = ?", id);
    }

    void makeDue(long id) {
        jdbc.update("UPDATE jobs SET run_at = " + minusMillis(1) + " WHERE id = ?", id);
    }

    Instant dbNow() {
        return jdbc.queryForObject("SELECT CURRENT_TIMESTAMP", OffsetDateTime.class).toInstant();
    }

    Instant leaseUntil(long id) {
        OffsetDateTime lease = jdbc.queryForObject("SELECT lease_until FROM jobs WHERE id = ?", OffsetDateTime.class, id);
        return lease == null ? null : lease.toInstant();
    }
}

package dev.quiesce.queue;

import dev.quiesce.api.JobState;
import dev.quiesce.job.Job;
import dev.quiesce.job.NewJob;
import dev.quiesce.queue.JobQueue.ActionResult;
import dev.quiesce.queue.JobQueue.Outcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the console and its API read and do (issue 10), on every supported database: pages with cursors, a job's
 * detail (history, stack trace, progress), retry / delete, the fleet's instances and quiet orders, the overview.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ConsoleQueriesContract {

    static final String OWNER = "instance-a";
    static final Set<String> TYPES = Set.of("echo", "other");

    QueueTestDatabase database;
    JdbcTemplate jdbc;
    JdbcWorkerRegistry workers;
    JdbcFleet fleet;
    JobQueue queue;

    abstract QueueTestDatabase openDatabase();

    @BeforeAll
    void open() {
        database = openDatabase();
        jdbc = new JdbcTemplate(database.dataSource());
        workers = new JdbcWorkerRegistry(JdbcClient.create(jdbc));
        fleet = new JdbcFleet(JdbcClient.create(jdbc), database.dialect());
    }

    @AfterAll
    void close() {
        database.close();
    }

    @BeforeEach
    void emptyQueue() {
        database.deleteAll();
        queue = new JdbcJobQueue(jdbc, new DataSourceTransactionManager(database.dataSource()),
                JobQueueContract.properties(Duration.ofSeconds(30), 3, Duration.ofSeconds(1), Duration.ofMinutes(10)),
                event -> { }, database.dialect());
        workers.register(OWNER, "a", "host", 1);
    }

    @Test
    void cursorPagesWalkEveryMatchingJobOnceNewestOrOldestFirst() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ids.add(queue.enqueue(NewJob.of(i % 2 == 0 ? "echo" : "other", "{}")).job().id());
        }
        assertThat(walk(JobFilter.ALL, JobPage.Order.NEWEST, 3)).containsExactlyElementsOf(ids.reversed());
        assertThat(walk(JobFilter.ALL, JobPage.Order.OLDEST, 3)).containsExactlyElementsOf(ids);
        assertThat(walk(new JobFilter(null, "echo", null, null), JobPage.Order.NEWEST, 2))
                .containsExactly(ids.get(6), ids.get(4), ids.get(2), ids.get(0));
        assertThat(walk(new JobFilter(JobState.QUEUED, "other", null, null), JobPage.Order.OLDEST, 1))
                .containsExactly(ids.get(1), ids.get(3), ids.get(5));
        JobPage exact = queue.page(JobFilter.ALL, JobPage.Order.NEWEST, null, 7);
        assertThat(exact.jobs()).hasSize(7);
        assertThat(exact.next()).as("no next page when the page holds the last job").isNull();
    }

    @Test
    void pagesFilterByIdempotencyKeyAndByTheTextOfTheLastErrorTakenLiterally() {
        long keyed = queue.enqueue(new NewJob("echo", "{}", 0, 1, "key-1", null)).job().id();
        long percent = claimAndFail("disk 100% full_now");
        claimAndFail("something else");

        assertThat(ids(queue.page(new JobFilter(null, null, "key-1", null), JobPage.Order.NEWEST, null, 10)))
                .containsExactly(keyed);
        assertThat(ids(queue.page(new JobFilter(JobState.FAILED, null, null, "100% full_"), JobPage.Order.NEWEST, null, 10)))
                .containsExactly(percent);
        assertThat(ids(queue.page(new JobFilter(null, null, null, "0%_f"), JobPage.Order.NEWEST, null, 10)))
                .as("% and _ are literal characters").isEmpty();
    }

    @Test
    void aFailedJobKeepsItsStackTraceAndHistoryAndARetryRunsItAgainWithFreshAttempts() {
        long id = queue.enqueue(new NewJob("echo", "{}", 0, 2, null, null)).job().id();
        queue.claim(OWNER, 1, TYPES);
        queue.settle(OWNER, List.of(new Outcome.Failed(id, "IllegalStateException: boom", true, "java.lang.IllegalStateException: boom\n\tat x.Y.run(Y.java:1)\n")));
        jdbc.update("UPDATE jobs SET run_at = CURRENT_TIMESTAMP WHERE id = ?", id);
        queue.claim(OWNER, 1, TYPES);
        queue.settle(OWNER, List.of(new Outcome.Failed(id, "IllegalStateException: boom again", true, "trace 2")));

        JobDetail failed = queue.detail(id).orElseThrow();
        assertThat(failed.job().state()).isEqualTo(JobState.FAILED);
        assertThat(failed.errorTrace()).isEqualTo("trace 2");
        assertThat(failed.history()).extracting(JobDetail.Event::what).containsExactly(
                "enqueued", "claimed by " + OWNER + " (attempt 1)", "attempt 1 failed; retrying after back-off",
                "claimed by " + OWNER + " (attempt 2)", "failed: IllegalStateException: boom again");

        ActionResult retried = queue.retry(id);
        assertThat(retried.status()).isEqualTo(ActionResult.Status.DONE);
        assertThat(retried.job().state()).isEqualTo(JobState.QUEUED);
        assertThat(retried.job().attempts()).isZero();
        assertThat(retried.job().finishedAt()).isNull();
        assertThat(queue.claim(OWNER, 1, TYPES)).as("ready at once").extracting(Job::id).containsExactly(id);
        assertThat(queue.detail(id).orElseThrow().history()).extracting(JobDetail.Event::what)
                .contains("retried by an operator (attempts start again)", "claimed by " + OWNER + " (attempt 1)");

        assertThat(queue.retry(id).status()).as("a running job is not retried").isEqualTo(ActionResult.Status.WRONG_STATE);
        assertThat(queue.retry(-1).status()).isEqualTo(ActionResult.Status.NOT_FOUND);
    }

    @Test
    void retryAllTakesBackOnlyTheFailedOrCancelledJobsTheFilterMatches() {
        long a = claimAndFail("timeout talking to billing");
        long b = claimAndFail("timeout talking to billing");
        long c = claimAndFail("bad payload");
        long cancelled = queue.enqueue(NewJob.of("other", "{}")).job().id();
        queue.requestCancel(cancelled);
        long queued = queue.enqueue(NewJob.of("other", "{}")).job().id();

        assertThat(queue.retryAll(new JobFilter(JobState.SUCCEEDED, null, null, null))).isZero();
        assertThat(queue.retryAll(new JobFilter(JobState.FAILED, null, null, "billing"))).isEqualTo(2);
        assertThat(state(a)).isEqualTo(JobState.QUEUED);
        assertThat(state(b)).isEqualTo(JobState.QUEUED);
        assertThat(state(c)).isEqualTo(JobState.FAILED);
        assertThat(queue.retryAll(JobFilter.ALL)).as("c and the cancelled one").isEqualTo(2);
        assertThat(state(cancelled)).isEqualTo(JobState.QUEUED);
        assertThat(state(queued)).isEqualTo(JobState.QUEUED);
    }

    @Test
    void onlyAFinishedJobCanBeDeleted() {
        long failed = claimAndFail("boom");
        long queued = queue.enqueue(NewJob.of("other", "{}")).job().id();

        assertThat(queue.delete(queued).status()).isEqualTo(ActionResult.Status.WRONG_STATE);
        assertThat(queue.delete(failed).status()).isEqualTo(ActionResult.Status.DONE);
        assertThat(queue.find(failed)).isEmpty();
        assertThat(queue.delete(failed).status()).isEqualTo(ActionResult.Status.NOT_FOUND);
    }

    @Test
    void progressAndRunnerAreRecordedForTheOwnerOnlyAndClearedByTheNextClaim() {
        long id = queue.enqueue(NewJob.of("other", "{}")).job().id();
        queue.claim(OWNER, 1, TYPES);

        queue.recordProgress(OWNER, Map.of(id, new JobQueue.RunView(0.25, "thread quiesce-job-1")));
        queue.recordProgress("someone-else", Map.of(id, new JobQueue.RunView(0.9, "thread x")));

        JobDetail running = queue.detail(id).orElseThrow();
        assertThat(running.progress()).isEqualTo(0.25);
        assertThat(running.runner()).isEqualTo("thread quiesce-job-1");
        queue.settle(OWNER, List.of(new Outcome.Released(id)));
        queue.claim(OWNER, 1, TYPES);
        assertThat(queue.detail(id).orElseThrow().progress()).isNull();
        assertThat(queue.detail(id).orElseThrow().history()).extracting(JobDetail.Event::what)
                .contains("handed back by " + OWNER + " (it stopped or went quiet); attempt refunded");
    }

    @Test
    void instancesPublishTheirStatusAndFollowTheFleetsOrTheirOwnQuietOrder() {
        workers.register("instance-b", "b", "host-b", 2);
        assertThat(fleet.publish(OWNER, "{\"state\":\"RUNNING\"}")).isFalse();
        queue.enqueue(NewJob.of("other", "{}"));
        queue.claim(OWNER, 1, TYPES);

        List<Fleet.Instance> instances = fleet.instances(Duration.ofHours(1));
        assertThat(instances).extracting(Fleet.Instance::id).containsExactlyInAnyOrder(OWNER, "instance-b");
        Fleet.Instance a = instances.stream().filter(i -> i.id().equals(OWNER)).findFirst().orElseThrow();
        assertThat(a.inFlight()).isEqualTo(1);
        assertThat(a.statusJson()).isEqualTo("{\"state\":\"RUNNING\"}");
        assertThat(a.heartbeatAge()).isLessThan(Duration.ofMinutes(1));

        assertThat(fleet.orderInstance("instance-b", true)).isTrue();
        assertThat(fleet.orderInstance("nobody", true)).isFalse();
        assertThat(fleet.publish("instance-b", "{}")).isTrue();
        assertThat(fleet.publish(OWNER, "{}")).isFalse();

        fleet.orderFleet(true);
        assertThat(fleet.fleetQuiet()).isTrue();
        assertThat(fleet.publish(OWNER, "{}")).isTrue();

        fleet.orderFleet(false);
        assertThat(fleet.publish(OWNER, "{}")).isFalse();
        assertThat(fleet.publish("instance-b", "{}")).as("a fleet resume lifts every own order too").isFalse();

        workers.markStopped("instance-b");
        assertThat(fleet.orderInstance("instance-b", true)).as("a stopped instance takes no orders").isFalse();
    }

    @Test
    void theOverviewCountsTheLiveJobsByTypeAndTheLastHoursOutcomesByMinute() {
        queue.enqueue(NewJob.of("echo", "{}"));
        queue.enqueue(NewJob.of("echo", "{}"));
        long running = queue.enqueue(NewJob.of("other", "{}")).job().id();
        jdbc.update("UPDATE jobs SET run_at = CURRENT_TIMESTAMP WHERE id <> ?", running);
        queue.claim(OWNER, 1, Set.of("other"));
        claimAndFail("boom");
        long done = queue.enqueue(NewJob.of("other", "{}")).job().id();
        queue.claim(OWNER, 1, Set.of("other"));
        queue.settle(OWNER, List.of(new Outcome.Succeeded(done, "ok")));

        JdbcQueueOverview overview = new JdbcQueueOverview(database.dataSource());
        QueueOverview.Snapshot snapshot = overview.read();

        assertThat(snapshot.active().get("echo")).containsEntry(JobState.QUEUED, 2L);
        assertThat(snapshot.active().get("other")).containsEntry(JobState.RUNNING, 1L);
        assertThat(snapshot.lastHour().get("other")).containsEntry(JobState.SUCCEEDED, 1L).containsEntry(JobState.FAILED, 1L);
        assertThat(snapshot.failedTotal()).isEqualTo(1);
        assertThat(snapshot.minutes()).hasSize(60);
        assertThat(snapshot.minutes().stream().mapToLong(QueueOverview.Minute::succeeded).sum()).isEqualTo(1);
        assertThat(snapshot.minutes().stream().mapToLong(QueueOverview.Minute::failed).sum()).isEqualTo(1);
        assertThat(snapshot.oldestReady()).isGreaterThanOrEqualTo(Duration.ZERO);

        // A later read counts the finished minutes it kept and re-reads only the last two: nothing twice.
        long more = queue.claim(OWNER, 1, Set.of("echo")).getFirst().id();
        queue.settle(OWNER, List.of(new Outcome.Succeeded(more, "ok")));
        await().pollDelay(JdbcQueueOverview.MAX_AGE.plusMillis(100)).atMost(Duration.ofSeconds(30)).until(() -> true);
        QueueOverview.Snapshot later = overview.read();
        assertThat(later.minutes().stream().mapToLong(QueueOverview.Minute::succeeded).sum()).isEqualTo(2);
        assertThat(later.lastHour().get("echo")).containsEntry(JobState.SUCCEEDED, 1L);
        assertThat(later.lastHour().get("other")).containsEntry(JobState.SUCCEEDED, 1L).containsEntry(JobState.FAILED, 1L);
    }

    private long claimAndFail(String error) {
        long id = queue.enqueue(new NewJob("other", "{}", 0, 1, null, null)).job().id();
        assertThat(queue.claim(OWNER, 1, Set.of("other"))).extracting(Job::id).containsExactly(id);
        queue.settle(OWNER, List.of(new Outcome.Failed(id, error, false)));
        return id;
    }

    private JobState state(long id) {
        return queue.find(id).orElseThrow().state();
    }

    private List<Long> walk(JobFilter filter, JobPage.Order order, int limit) {
        List<Long> seen = new ArrayList<>();
        Long after = null;
        do {
            JobPage page = queue.page(filter, order, after, limit);
            seen.addAll(ids(page));
            after = page.next();
        } while (after != null);
        return seen;
    }

    private static List<Long> ids(JobPage page) {
        return page.jobs().stream().map(Job::id).toList();
    }
}

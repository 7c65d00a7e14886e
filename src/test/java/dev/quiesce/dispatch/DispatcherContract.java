package dev.quiesce.dispatch;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.quiesce.queue.JobDetail;
import org.slf4j.LoggerFactory;

import dev.quiesce.QuiesceApplication;
import dev.quiesce.testing.TestContexts;
import dev.quiesce.job.Job;
import dev.quiesce.api.JobState;
import dev.quiesce.job.NewJob;
import dev.quiesce.queue.JobQueue;
import dev.quiesce.queue.WorkerRegistry.InstanceState;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dispatcher inside a real application context, against a real database: the same class runs on H2
 * and on PostgreSQL. Leases and heartbeats are short so that lease loss shows within a second.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DispatcherContract {

    private static final Duration HANG_BOUND = Duration.ofSeconds(30);

    ConfigurableApplicationContext context;
    JobQueue queue;
    JdbcClient jdbc;
    MeterRegistry registry;
    JobDispatcher dispatcher;
    Path dataDir;

    /** The {@code spring.datasource.*} properties of the database under test. */
    abstract Map<String, Object> databaseProperties(Path dataDir);

    @BeforeAll
    void startApplication() throws Exception {
        dataDir = Files.createTempDirectory("quiesce-dispatcher-");
        Map<String, Object> properties = new HashMap<>(databaseProperties(dataDir));
        properties.put("server.port", 0);
        properties.put("management.server.port", 0);
        properties.put("quiesce.data-dir", dataDir.toString());
        properties.put("quiesce.worker.threads", 4);
        properties.put("quiesce.worker.poll-interval", "100ms");
        properties.put("quiesce.queue.lease", "2s");
        properties.put("quiesce.queue.heartbeat", "200ms");
        properties.put("quiesce.queue.retry-backoff", "50ms");
        properties.put("quiesce.builtin.fault-types", true);
        context = TestContexts.start(properties, QuiesceApplication.class);
        queue = context.getBean(JobQueue.class);
        jdbc = context.getBean(JdbcClient.class);
        registry = context.getBean(MeterRegistry.class);
        dispatcher = context.getBean(JobDispatcher.class);
    }

    @AfterAll
    void closeApplication() {
        if (context != null) {
            context.close();
        }
    }

    @Test
    void aJobEnqueuedHereRunsAtOnceAndSucceeds() {
        long id = enqueue("sleep", "{\"ms\": 10}", 5);

        Job job = awaitState(id, JobState.SUCCEEDED);

        assertThat(job.attempts()).isEqualTo(1);
        assertThat(job.result()).isEqualTo("slept 10 ms");
        // Counted right after the outcome's commit, on the settler's thread.
        await().atMost(HANG_BOUND).until(() -> counter("quiesce.jobs.finished", "outcome", "succeeded") > 0);
    }

    @Test
    void aFailingJobIsRetriedWithBackOffUntilItsAttemptsAreSpent() {
        double retriedBefore = counter("quiesce.jobs.finished", "outcome", "retried");
        long id = enqueue("fail", "{\"message\": \"boom\"}", 3);

        Job job = awaitState(id, JobState.FAILED);

        assertThat(job.attempts()).isEqualTo(3);
        assertThat(job.lastError()).contains("boom");
        await().atMost(HANG_BOUND).untilAsserted(() ->
                assertThat(counter("quiesce.jobs.finished", "outcome", "retried") - retriedBefore).isEqualTo(2));
    }

    @Test
    void aClientCancelInterruptsTheRunningJob() {
        long id = enqueue("sleep", "{\"ms\": 60000}", 5);
        awaitState(id, JobState.RUNNING);

        assertThat(queue.requestCancel(id).outcome()).isEqualTo(JobQueue.CancelResult.Outcome.CANCEL_REQUESTED);

        assertThat(awaitState(id, JobState.CANCELLED).lastError()).contains("cancelled");
    }

    @Test
    void aLostLeaseCancelsTheLocalExecutionAndItsOutcomeIsDiscarded() {
        double lostBefore = counter("quiesce.jobs.released", "reason", "lease_lost");
        long id = enqueue("sleep", "{\"ms\": 60000}", 5);
        awaitState(id, JobState.RUNNING);

        // Another (live) instance reclaimed and claimed the job meanwhile.
        jdbc.sql("INSERT INTO workers (id, name, host, pid, state, started_at, heartbeat_at) VALUES "
                + "('someone-else', 'other', 'h', 1, 'RUNNING', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP + INTERVAL '1' HOUR)").update();
        jdbc.sql("UPDATE jobs SET owner = 'someone-else' WHERE id = ?").param(id).update();

        await().atMost(HANG_BOUND).until(() -> counter("quiesce.jobs.released", "reason", "lease_lost") > lostBefore);
        await().atMost(HANG_BOUND).until(() -> dispatcher.inFlight() == 0);
        Job job = queue.find(id).orElseThrow();
        assertThat(job.state()).isEqualTo(JobState.RUNNING);
        assertThat(job.owner()).isEqualTo("someone-else");
    }

    @Test
    void quietStopsClaimingAndResumeStartsAgain() {
        assertThat(dispatcher.quiet()).isEqualTo(InstanceState.QUIET);
        assertThat(dispatcher.quiet()).isEqualTo(InstanceState.QUIET);
        try {
            long id = enqueue("sleep", "{\"ms\": 1}", 5);
            // Several poll intervals pass without a claim.
            await().during(Duration.ofMillis(600)).atMost(HANG_BOUND)
                    .until(() -> queue.find(id).orElseThrow().state() == JobState.QUEUED);

            assertThat(dispatcher.resume()).isEqualTo(InstanceState.RUNNING);

            awaitState(id, JobState.SUCCEEDED);
        } finally {
            dispatcher.resume();
        }
    }

    @Test
    void jobsClaimedAheadOfABusyRunnerGoBackUnstartedWhenTheInstanceGoesQuiet() {
        // Short jobs first: the prefetch sizes itself from the durations it has seen.
        List<Long> warmUp = IntStream.range(0, 40).mapToObj(i -> enqueue("sleep", "{\"ms\": 0}", 5)).toList();
        warmUp.forEach(id -> awaitState(id, JobState.SUCCEEDED));
        List<Long> long4 = IntStream.range(0, 4).mapToObj(i -> enqueue("sleep", "{\"ms\": 3000}", 5)).toList();
        long4.forEach(id -> awaitState(id, JobState.RUNNING));
        double returnedBefore = counter("quiesce.jobs.released", "reason", "unstarted");
        // Every thread is busy: these can only be claimed ahead, into the backlog.
        List<Long> ahead = IntStream.range(0, 6).mapToObj(i -> enqueue("sleep", "{\"ms\": 0}", 5)).toList();
        // How many are claimed ahead depends on the durations seen (a slow machine claims fewer): at least one.
        await().atMost(HANG_BOUND).until(() -> ahead.stream().anyMatch(id -> queue.find(id).orElseThrow().state() == JobState.RUNNING));
        assertThat(dispatcher.inFlight()).isEqualTo(4);
        try {
            dispatcher.quiet();

            for (long id : ahead) {
                Job job = awaitState(id, JobState.QUEUED);
                assertThat(job.attempts()).isZero();
                assertThat(job.interruptions()).isZero();
                assertThat(job.owner()).isNull();
            }
            await().atMost(HANG_BOUND).untilAsserted(() ->
                    assertThat(counter("quiesce.jobs.released", "reason", "unstarted") - returnedBefore).isBetween(1.0, 6.0));
        } finally {
            dispatcher.resume();
        }
        ahead.forEach(id -> assertThat(awaitState(id, JobState.SUCCEEDED).attempts()).isEqualTo(1));
        long4.forEach(id -> awaitState(id, JobState.SUCCEEDED));
    }

    @Test
    void everyJobMeterAndTagValueExistsFromStartUp() {
        for (String runner : new String[]{"thread", "child"}) {
            assertThat(registry.find("quiesce.jobs.claimed").tag("runner", runner).counter()).isNotNull();
            assertThat(registry.find("quiesce.jobs.in.flight").tag("runner", runner).gauge()).isNotNull();
        }
        for (String outcome : new String[]{"succeeded", "failed", "retried", "cancelled"}) {
            assertThat(registry.find("quiesce.jobs.finished").tag("outcome", outcome).counter()).isNotNull();
            assertThat(registry.find("quiesce.job.duration").tag("type", "sleep").tag("outcome", outcome).timer()).isNotNull();
        }
        assertThat(registry.find("quiesce.jobs.released").tag("reason", "shutdown").counter()).isNotNull();
        assertThat(registry.find("quiesce.jobs.released").tag("reason", "lease_lost").counter()).isNotNull();
        assertThat(registry.find("quiesce.jobs.released").tag("reason", "unstarted").counter()).isNotNull();
        assertThat(registry.find("quiesce.queue.claim").timer()).isNotNull();
        assertThat(registry.find("quiesce.jobs.reclaimed").tag("reason", "lease_expired").counter()).isNotNull();
        assertThat(registry.find("quiesce.jobs.reclaimed").tag("reason", "owner_dead").counter()).isNotNull();
        assertThat(registry.find("quiesce.jobs.fenced").counter()).isNotNull();
        for (JobState state : new JobState[]{JobState.QUEUED, JobState.RUNNING}) {
            assertThat(registry.find("quiesce.queue.jobs").tag("state", state.name()).gauge()).isNotNull();
        }
        assertThat(registry.find("quiesce.queue.lag").tag("type", "sleep").gauge()).isNotNull();
        for (String what : new String[]{"jobs", "workers", "shutdown_reports"}) {
            assertThat(registry.find("quiesce.retention.deleted").tag("what", what).counter()).isNotNull();
        }
    }

    @Test
    void aFailedAttemptLogsOneLineWithTheJobsIdAndTypeAndKeepsItsStackTrace() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ch.qos.logback.classic.Logger jobs = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.quiesce.jobs");
        jobs.addAppender(appender);
        try {
            long id = enqueue("fail", "{\"message\": \"boom\"}", 1);
            awaitState(id, JobState.FAILED);

            JobDetail detail = queue.detail(id).orElseThrow();
            assertThat(detail.job().lastError()).isEqualTo("IllegalStateException: boom");
            assertThat(detail.errorTrace()).startsWith("java.lang.IllegalStateException: boom")
                    .contains("at dev.quiesce.job.builtin.FailJob.run(");
            List<ILoggingEvent> lines = appender.list.stream()
                    .filter(line -> Long.toString(id).equals(line.getMDCPropertyMap().get("jobId"))).toList();
            assertThat(lines).hasSize(1);
            assertThat(lines.getFirst().getLevel()).isEqualTo(Level.WARN);
            assertThat(lines.getFirst().getMDCPropertyMap()).containsEntry("jobType", "fail");
            assertThat(lines.getFirst().getFormattedMessage()).contains("attempt 1/1 failed, no retry: IllegalStateException: boom");
        } finally {
            jobs.detachAppender(appender);
        }
    }

    @Test
    void aLongJobShowsWhereItRunsAndItsProgressWithinAFewHeartbeats() {
        long id = enqueue("sleep", "{\"ms\": 4000}", 1);

        await().atMost(HANG_BOUND).until(() -> {
            JobDetail detail = queue.detail(id).orElseThrow();
            return detail.progress() != null && detail.progress() > 0 && detail.runner() != null;
        });
        assertThat(queue.detail(id).orElseThrow().runner()).startsWith("thread ");
        awaitState(id, JobState.SUCCEEDED);
    }

    long enqueue(String type, String payload, int maxAttempts) {
        return queue.enqueue(new NewJob(type, payload, 0, maxAttempts, null, null)).job().id();
    }

    Job awaitState(long id, JobState state) {
        await().atMost(HANG_BOUND).pollInterval(Duration.ofMillis(20))
                .until(() -> queue.find(id).orElseThrow().state() == state);
        return queue.find(id).orElseThrow();
    }

    double counter(String name, String tag, String value) {
        return registry.get(name).tag(tag, value).counter().count();
    }
}

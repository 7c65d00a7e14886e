package dev.quiesce.dispatch;

import dev.quiesce.QuiesceApplication;
import dev.quiesce.testing.TestContexts;
import dev.quiesce.job.Job;
import dev.quiesce.api.JobState;
import dev.quiesce.job.NewJob;
import dev.quiesce.queue.JobQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The dispatcher's stop inside a real context on H2: drain, cancel, release, and the restart that follows a crash. */
class DispatcherStopTest {

    private static final Duration HANG_BOUND = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    private ConfigurableApplicationContext start(Map<String, Object> extra) {
        return start(extra, QuiesceApplication.class);
    }

    private ConfigurableApplicationContext start(Map<String, Object> extra, Class<?>... sources) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("server.port", 0);
        properties.put("management.server.port", 0);
        properties.put("quiesce.data-dir", dataDir.toString());
        properties.put("quiesce.worker.poll-interval", "100ms");
        properties.put("quiesce.shutdown.grace-period", "6s");
        properties.put("quiesce.shutdown.cancel-grace", "1s");
        properties.put("quiesce.shutdown.child-stop-timeout", "1s");
        properties.put("quiesce.shutdown.margin", "1s");
        properties.putAll(extra);
        return TestContexts.start(properties, sources);
    }

    @Test
    void aJobThatFinishesWithinTheDrainIsCompletedBeforeTheContextCloses() {
        ConfigurableApplicationContext context = start(Map.of());
        JobQueue queue = context.getBean(JobQueue.class);
        JobDispatcher dispatcher = context.getBean(JobDispatcher.class);
        long id = queue.enqueue(NewJob.of("sleep", "{\"ms\": 700}")).job().id();
        await().atMost(HANG_BOUND).until(() -> queue.find(id).orElseThrow().state() == JobState.RUNNING);
        context.close();

        DrainResult drain = dispatcher.lastDrain();
        assertThat(drain.isComplete()).isTrue();
        assertThat(drain.drained()).isEqualTo(1);
        assertThat(stateOf(id)).isEqualTo("SUCCEEDED");
        assertThat(column("SELECT state FROM workers", String.class)).containsOnly("STOPPED");
    }

    @Test
    void jobsClaimedAheadButNeverStartedAreHandedBackFirstAndTheRunningOnesDrain() {
        ConfigurableApplicationContext context = start(Map.of("quiesce.worker.threads", 2));
        JobQueue queue = context.getBean(JobQueue.class);
        JobDispatcher dispatcher = context.getBean(JobDispatcher.class);
        // Short jobs first: the prefetch sizes itself from the durations it has seen.
        for (int i = 0; i < 30; i++) {
            long id = queue.enqueue(NewJob.of("sleep", "{\"ms\": 0}")).job().id();
            await().atMost(HANG_BOUND).until(() -> queue.find(id).orElseThrow().state() == JobState.SUCCEEDED);
        }
        List<Long> running = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            running.add(queue.enqueue(NewJob.of("sleep", "{\"ms\": 1500}")).job().id());
        }
        await().atMost(HANG_BOUND).until(() -> running.stream().allMatch(id -> queue.find(id).orElseThrow().state() == JobState.RUNNING));
        List<Long> ahead = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ahead.add(queue.enqueue(NewJob.of("sleep", "{\"ms\": 0}")).job().id());
        }
        // How many are claimed ahead depends on the durations seen (a slow machine claims fewer): at least one.
        await().atMost(HANG_BOUND).until(() -> ahead.stream().anyMatch(id -> queue.find(id).orElseThrow().state() == JobState.RUNNING));

        context.close();

        DrainResult drain = dispatcher.lastDrain();
        assertThat(drain.drained()).as("%s", drain).isEqualTo(2);
        assertThat(drain.released()).as("%s", drain).isBetween(1, 5);
        assertThat(drain.cancelled() + drain.abandoned() + drain.unreleased() + drain.unwritten()).as("%s", drain).isZero();
        running.forEach(id -> assertThat(stateOf(id)).isEqualTo("SUCCEEDED"));
        for (long id : ahead) {
            assertThat(stateOf(id)).isEqualTo("QUEUED");
            assertThat(column("SELECT attempts FROM jobs WHERE id = " + id, Integer.class)).containsExactly(0);
            assertThat(column("SELECT interruptions FROM jobs WHERE id = " + id, Integer.class)).containsExactly(0);
            assertThat(column("SELECT owner FROM jobs WHERE id = " + id, String.class)).containsExactly((String) null);
        }
    }

    @Test
    void aJobThatIgnoresCancellationIsReleasedWithItsAttemptRefundedAtTheCancelDeadline() {
        ConfigurableApplicationContext context = start(Map.of());
        JobQueue queue = context.getBean(JobQueue.class);
        JobDispatcher dispatcher = context.getBean(JobDispatcher.class);
        long stubborn = queue.enqueue(NewJob.of("ignore-interrupt", "{\"ms\": 60000}")).job().id();
        long polite = queue.enqueue(NewJob.of("sleep", "{\"ms\": 60000}")).job().id();
        await().atMost(HANG_BOUND).until(() -> queue.find(stubborn).orElseThrow().state() == JobState.RUNNING
                && queue.find(polite).orElseThrow().state() == JobState.RUNNING);

        long started = System.nanoTime();
        context.close();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        // drain 3s + cancel-grace 1s; the bound only catches a hang past the 6s grace period.
        assertThat(took).isLessThan(Duration.ofSeconds(6));
        DrainResult drain = dispatcher.lastDrain();
        assertThat(drain.cancelled()).isEqualTo(2);
        assertThat(drain.released()).isEqualTo(2);
        assertThat(drain.abandoned()).isEqualTo(1);
        for (long id : new long[]{stubborn, polite}) {
            assertThat(stateOf(id)).isEqualTo("QUEUED");
            assertThat(column("SELECT attempts FROM jobs WHERE id = " + id, Integer.class)).containsExactly(0);
            assertThat(column("SELECT interruptions FROM jobs WHERE id = " + id, Integer.class)).containsExactly(1);
            assertThat(column("SELECT owner FROM jobs WHERE id = " + id, String.class)).containsExactly((String) null);
        }
    }

    @Test
    void aRestartHandsBackAtOnceTheJobsItsPreviousIncarnationHeld() {
        ConfigurableApplicationContext first = start(Map.of("quiesce.instance-name", "laptop"));
        JdbcClient jdbc = first.getBean(JdbcClient.class);
        JobQueue queue = first.getBean(JobQueue.class);
        first.getBean(JobDispatcher.class).quiet();
        long id = queue.enqueue(NewJob.of("sleep", "{\"ms\": 1}")).job().id();
        // What a SIGKILLed incarnation leaves: its workers row still RUNNING, the job leased to it for long.
        jdbc.sql("INSERT INTO workers (id, name, host, pid, state, started_at, heartbeat_at) "
                + "VALUES ('laptop-crashed', 'laptop', 'h', 1, 'RUNNING', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)").update();
        jdbc.sql("UPDATE jobs SET state = 'RUNNING', owner = 'laptop-crashed', attempts = 1, "
                + "lease_until = CURRENT_TIMESTAMP + INTERVAL '1' HOUR WHERE id = ?").param(id).update();
        first.close();

        ConfigurableApplicationContext second = start(Map.of("quiesce.instance-name", "laptop"));
        try {
            JobQueue reopened = second.getBean(JobQueue.class);
            await().atMost(HANG_BOUND).until(() -> reopened.find(id).orElseThrow().state() == JobState.SUCCEEDED);
            Job job = reopened.find(id).orElseThrow();
            assertThat(job.crashes()).isEqualTo(1);
            assertThat(job.attempts()).isEqualTo(2);
        } finally {
            second.close();
        }
    }

    @Test
    void whenTheDatabaseStopsAnsweringTheStopStillEndsInsideTheBudgetAndCountsTheOutcomesItCouldNotWrite() {
        ConfigurableApplicationContext context = start(Map.of(), QuiesceApplication.class, HangingDatabase.class);
        JobQueue queue = context.getBean(JobQueue.class);
        JobDispatcher dispatcher = context.getBean(JobDispatcher.class);
        long id = queue.enqueue(NewJob.of("sleep", "{\"ms\": 300}")).job().id();
        await().atMost(HANG_BOUND).until(() -> queue.find(id).orElseThrow().state() == JobState.RUNNING);

        HangingDatabase.hang(true);
        try {
            // The job finishes while every database call hangs: its outcome cannot be written.
            // (The runner's count, not the dispatcher's: the dispatcher's loop is itself stuck in a database call.)
            await().atMost(HANG_BOUND).until(() -> dispatcher.inFlightByRunner().get("thread") == 0);
            long started = System.nanoTime();
            context.close();
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            // The 6s grace period: the bound is the budget itself, which the guard must keep with the database gone.
            assertThat(took).isLessThan(Duration.ofSeconds(6));
        } finally {
            HangingDatabase.hang(false);
        }
        DrainResult drain = dispatcher.lastDrain();
        assertThat(drain.unwritten()).as("outcomes not written: %s", drain).isEqualTo(1);
        assertThat(drain.isComplete()).isFalse();
        assertThat(stateOf(id)).as("still leased: it runs again when the lease expires").isEqualTo("RUNNING");
    }

    /**
     * Wraps the DataSource so that a test can make every new call hang, as a database that stops answering does
     * (each JdbcTemplate call takes a connection from the pool, so this is where every call waits).
     */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class HangingDatabase {

        private static final java.util.concurrent.atomic.AtomicReference<java.util.concurrent.CountDownLatch> GATE =
                new java.util.concurrent.atomic.AtomicReference<>();

        static void hang(boolean hang) {
            java.util.concurrent.CountDownLatch previous = GATE.getAndSet(hang ? new java.util.concurrent.CountDownLatch(1) : null);
            if (previous != null) {
                previous.countDown();
            }
        }

        @org.springframework.context.annotation.Bean
        static org.springframework.beans.factory.config.BeanPostProcessor hangingDataSource() {
            return new org.springframework.beans.factory.config.BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    return bean instanceof javax.sql.DataSource dataSource ? new Hanging(dataSource) : bean;
                }
            };
        }

        /** Closes the pool it wraps with the context, like the DataSource it stands for. */
        static final class Hanging extends org.springframework.jdbc.datasource.DelegatingDataSource implements AutoCloseable {

            Hanging(javax.sql.DataSource target) {
                super(target);
            }

            @Override
            public Connection getConnection() throws SQLException {
                java.util.concurrent.CountDownLatch gate = GATE.get();
                if (gate != null) {
                    try {
                        gate.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new SQLException("interrupted while the database hangs", e);
                    }
                }
                return super.getConnection();
            }

            @Override
            public void close() throws Exception {
                if (obtainTargetDataSource() instanceof AutoCloseable pool) {
                    pool.close();
                }
            }
        }
    }

    /** Reads the database the closed context left behind. */
    private <T> List<T> column(String sql, Class<T> type) {
        try (Connection connection = DriverManager.getConnection(
                "jdbc:h2:file:" + dataDir.resolve("quiesce"), "sa", "");
             ResultSet rows = connection.createStatement().executeQuery(sql)) {
            List<T> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getObject(1, type));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private String stateOf(long id) {
        return column("SELECT state FROM jobs WHERE id = " + id, String.class).getFirst();
    }
}

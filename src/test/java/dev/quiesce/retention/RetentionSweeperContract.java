package dev.quiesce.retention;

import dev.quiesce.shutdown.JdbcShutdownReports;
import dev.quiesce.shutdown.ShutdownOutcome;
import dev.quiesce.testing.MigratedDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The retention sweep (quiesce.retention.*) on a migrated database, run unchanged on H2 and PostgreSQL by one tiny
 * subclass each. Rows are made old by writing their times as the database's now minus a duration, as the sweep reads
 * them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RetentionSweeperContract {

    static final RetentionSweeper.Pause NO_PAUSE = pause -> true;

    MigratedDatabase database;
    JdbcTemplate jdbc;
    SweepDialect dialect;

    abstract MigratedDatabase openDatabase();

    @BeforeAll
    void open() {
        database = openDatabase();
        jdbc = new JdbcTemplate(database.dataSource());
        dialect = SweepDialect.of(database.dataSource());
    }

    @AfterAll
    void close() {
        if (database != null) {
            database.close();
        }
    }

    @BeforeEach
    void emptyTables() {
        jdbc.update("DELETE FROM jobs");
        jdbc.update("DELETE FROM workers");
        jdbc.update("DELETE FROM shutdown_reports");
        jdbc.update("UPDATE shutdown_reports_pruned SET reports = 0");
    }

    static RetentionProperties defaults() {
        return properties(1000);
    }

    static RetentionProperties properties(int batchSize) {
        return new RetentionProperties(Duration.ofDays(7), Duration.ofDays(30), Duration.ofDays(30), Duration.ofDays(7),
                Duration.ofDays(90), Duration.ofMinutes(5), batchSize, Duration.ofMillis(1));
    }

    RetentionSweeper sweeper(RetentionProperties properties, SimpleMeterRegistry registry) {
        return new RetentionSweeper(database.dataSource(), properties, new RetentionMetrics(registry));
    }

    // ----------------------------------------------------------------------------------------------------- jobs

    @Test
    void finishedJobsOlderThanTheirStatesRetentionAreDeletedAndNoOtherJob() {
        List<Long> old = new ArrayList<>();
        old.addAll(finishedJobs("SUCCEEDED", Duration.ofDays(8), 3));
        old.addAll(finishedJobs("FAILED", Duration.ofDays(31), 1));
        old.addAll(finishedJobs("CANCELLED", Duration.ofDays(31), 1));
        List<Long> kept = new ArrayList<>();
        kept.addAll(finishedJobs("SUCCEEDED", Duration.ofDays(6), 2));
        kept.addAll(finishedJobs("FAILED", Duration.ofDays(8), 2));
        kept.addAll(finishedJobs("CANCELLED", Duration.ofDays(29), 1));
        kept.add(unfinishedJob("QUEUED", Duration.ofDays(400)));
        kept.add(unfinishedJob("RUNNING", Duration.ofDays(400)));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        SweepResult result = sweeper(defaults(), registry).sweep(NO_PAUSE);

        assertThat(result.jobs()).isEqualTo(old.size());
        assertThat(result.complete()).isTrue();
        assertThat(jobIds()).containsExactlyInAnyOrderElementsOf(kept);
        assertThat(deletedCounter(registry, "jobs")).isEqualTo(old.size());
    }

    @Test
    void aRetentionOfZeroKeepsThoseJobsForever() {
        List<Long> ancient = finishedJobs("SUCCEEDED", Duration.ofDays(400), 2);
        finishedJobs("FAILED", Duration.ofDays(400), 2);
        RetentionProperties keepSucceeded = new RetentionProperties(Duration.ZERO, Duration.ofDays(30), Duration.ofDays(30),
                Duration.ofDays(7), Duration.ofDays(90), Duration.ofMinutes(5), 1000, Duration.ofMillis(1));

        SweepResult result = sweeper(keepSucceeded, new SimpleMeterRegistry()).sweep(NO_PAUSE);

        assertThat(result.jobs()).isEqualTo(2);
        assertThat(jobIds()).containsExactlyInAnyOrderElementsOf(ancient);
    }

    @Test
    void aSweepDeletesInBatchesNoLargerThanTheBatchSizePausingBetweenThem() {
        finishedJobs("SUCCEEDED", Duration.ofDays(8), 2_500);
        AtomicInteger pauses = new AtomicInteger();

        SweepResult result = sweeper(properties(1000), new SimpleMeterRegistry()).sweep(pause -> {
            if (!pause.isZero()) {
                pauses.incrementAndGet();
            }
            return true;
        });

        assertThat(result.jobs()).isEqualTo(2_500);
        assertThat(result.largestBatch()).isEqualTo(1000);
        assertThat(pauses).hasValue(2);
        assertThat(jobIds()).isEmpty();
    }

    @Test
    void aStoppedSweepEndsBetweenBatchesWithWhatItDeletedCounted() {
        finishedJobs("SUCCEEDED", Duration.ofDays(8), 250);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        SweepResult result = sweeper(properties(100), registry).sweep(pause -> pause.isZero());

        assertThat(result.complete()).isFalse();
        assertThat(result.jobs()).isEqualTo(100);
        assertThat(jobIds()).hasSize(150);
        assertThat(deletedCounter(registry, "jobs")).isEqualTo(100);
    }

    @Test
    void twoSweepersAtOnceDeleteEveryOldJobOnceAndCountItOnce() throws Exception {
        finishedJobs("SUCCEEDED", Duration.ofDays(8), 5_000);
        List<Long> young = finishedJobs("SUCCEEDED", Duration.ofDays(1), 10);
        SimpleMeterRegistry first = new SimpleMeterRegistry();
        SimpleMeterRegistry second = new SimpleMeterRegistry();
        CountDownLatch go = new CountDownLatch(1);
        List<SweepResult> results = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            List<Future<?>> runs = new ArrayList<>();
            for (SimpleMeterRegistry registry : List.of(first, second)) {
                RetentionSweeper sweeper = sweeper(properties(100), registry);
                runs.add(threads.submit(() -> {
                    go.await();
                    // Each sweeper goes on until nothing is left, as a fleet's sweeps do over their intervals.
                    while (true) {
                        SweepResult result = sweeper.sweep(NO_PAUSE);
                        results.add(result);
                        if (result.jobs() == 0) {
                            return null;
                        }
                    }
                }));
            }
            go.countDown();
            for (Future<?> run : runs) {
                run.get(2, TimeUnit.MINUTES);
            }
        }

        assertThat(results.stream().mapToLong(SweepResult::jobs).sum()).isEqualTo(5_000);
        assertThat(results).allSatisfy(result -> assertThat(result.largestBatch()).isLessThanOrEqualTo(100));
        assertThat(deletedCounter(first, "jobs") + deletedCounter(second, "jobs")).isEqualTo(5_000);
        assertThat(jobIds()).containsExactlyInAnyOrderElementsOf(young);
    }

    // -------------------------------------------------------------------------------------------------- workers

    @Test
    void workersRowsSilentLongerThanTheirRetentionAreDeletedUnlessTheyHoldARunningJob() {
        worker("stopped-long-ago", "STOPPED", Duration.ofDays(8));
        worker("crashed-long-ago", "RUNNING", Duration.ofDays(8));
        worker("crashed-holding-a-job", "RUNNING", Duration.ofDays(8));
        worker("stopped-yesterday", "STOPPED", Duration.ofDays(1));
        worker("alive", "RUNNING", Duration.ZERO);
        long held = unfinishedJob("RUNNING", Duration.ofDays(9));
        jdbc.update("UPDATE jobs SET owner = 'crashed-holding-a-job' WHERE id = ?", held);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        SweepResult result = sweeper(defaults(), registry).sweep(NO_PAUSE);

        assertThat(result.workers()).isEqualTo(2);
        assertThat(jdbc.queryForList("SELECT id FROM workers", String.class))
                .containsExactlyInAnyOrder("crashed-holding-a-job", "stopped-yesterday", "alive");
        assertThat(deletedCounter(registry, "workers")).isEqualTo(2);
    }

    // --------------------------------------------------------------------------------------------- shutdown reports

    @Test
    void oldShutdownReportsAreDeletedAndStillCountedByOutcome() {
        report("clean", Duration.ofDays(100));
        report("clean", Duration.ofDays(100));
        report("leaky", Duration.ofDays(100));
        report("clean", Duration.ofDays(10));
        report("overran", Duration.ofDays(10));
        JdbcShutdownReports reports = new JdbcShutdownReports(database.dataSource(), JsonMapper.builder().build());
        Map<ShutdownOutcome, Long> before = reports.countByOutcome();

        SweepResult result = sweeper(defaults(), new SimpleMeterRegistry()).sweep(NO_PAUSE);

        assertThat(result.shutdownReports()).isEqualTo(3);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM shutdown_reports", Long.class)).isEqualTo(2);
        assertThat(reports.countByOutcome()).isEqualTo(before)
                .containsEntry(ShutdownOutcome.CLEAN, 3L).containsEntry(ShutdownOutcome.LEAKY, 1L)
                .containsEntry(ShutdownOutcome.OVERRAN, 1L);
    }

    // ----------------------------------------------------------------------------------------------------- rows

    List<Long> finishedJobs(String state, Duration age, int count) {
        String insert = "INSERT INTO jobs (type, state, payload, max_attempts, created_at, run_at, started_at, finished_at)"
                + " VALUES ('echo', '" + state + "', '{}', 1, " + dialect.before("?") + ", " + dialect.before("?") + ", "
                + dialect.before("?") + ", " + dialect.before("?") + ")";
        long millis = age.toMillis();
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(new Object[]{millis + 1000, millis + 1000, millis + 500, millis});
        }
        long before = maxId();
        jdbc.batchUpdate(insert, rows);
        return jdbc.queryForList("SELECT id FROM jobs WHERE id > ? ORDER BY id", Long.class, before);
    }

    long unfinishedJob(String state, Duration age) {
        long before = maxId();
        jdbc.update("INSERT INTO jobs (type, state, payload, max_attempts, created_at, run_at, owner, lease_until)"
                        + " VALUES ('echo', '" + state + "', '{}', 1, " + dialect.before("?") + ", " + dialect.before("?") + ", "
                        + ("RUNNING".equals(state) ? "'someone', CURRENT_TIMESTAMP" : "NULL, NULL") + ")",
                age.toMillis(), age.toMillis());
        return jdbc.queryForObject("SELECT id FROM jobs WHERE id > ?", Long.class, before);
    }

    void worker(String id, String state, Duration silentFor) {
        boolean stopped = "STOPPED".equals(state);
        String insert = "INSERT INTO workers (id, name, host, pid, state, started_at, heartbeat_at, stopped_at) VALUES (?, ?, 'host', 1, ?, "
                + dialect.before("?") + ", " + dialect.before("?") + ", " + (stopped ? dialect.before("?") : "NULL") + ")";
        long millis = silentFor.toMillis();
        if (stopped) {
            jdbc.update(insert, id, id, state, millis + 60_000, millis, millis);
        } else {
            jdbc.update(insert, id, id, state, millis + 60_000, millis);
        }
    }

    void report(String outcome, Duration age) {
        jdbc.update("INSERT INTO shutdown_reports (instance_id, instance_name, outcome, started_at, finished_at, took_ms, report)"
                        + " VALUES ('i', 'n', ?, " + dialect.before("?") + ", " + dialect.before("?") + ", 1, '{}')",
                outcome, age.toMillis() + 1, age.toMillis());
    }

    List<Long> jobIds() {
        return jdbc.queryForList("SELECT id FROM jobs", Long.class);
    }

    private long maxId() {
        Long max = jdbc.queryForObject("SELECT MAX(id) FROM jobs", Long.class);
        return max == null ? 0 : max;
    }

    static double deletedCounter(SimpleMeterRegistry registry, String what) {
        return registry.get("quiesce.retention.deleted").tag("what", what).counter().count();
    }
}

package dev.quiesce.retention;

import dev.quiesce.testing.MigratedDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The schedule sweeps by itself on its daemon thread, and stops sweeping when stopped. */
class RetentionScheduleTest {

    /** Only stops a hung test: the first sweep comes after 0.75-1.25 s. */
    private static final Duration HANG_BOUND = Duration.ofSeconds(30);

    private final MigratedDatabase database = MigratedDatabase.h2("retention-schedule");
    private final JdbcTemplate jdbc = new JdbcTemplate(database.dataSource());

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void oldJobsDisappearWithoutAnyCallAndNoSweepRunsAfterTheStop() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RetentionSchedule schedule = new RetentionSchedule(new RetentionSweeper(database.dataSource(),
                RetentionSweeperContract.defaults(), new RetentionMetrics(registry)), Duration.ofSeconds(1));
        oldSucceededJob();

        schedule.start();
        await().atMost(HANG_BOUND).until(() -> jobs() == 0);
        assertThat(Thread.getAllStackTraces().keySet()).filteredOn(thread -> thread.getName().equals("quiesce-retention"))
                .singleElement().satisfies(thread -> assertThat(thread.isDaemon()).isTrue());
        schedule.stop();
        assertThat(schedule.isRunning()).isFalse();
        await().atMost(HANG_BOUND).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(thread -> thread.getName().equals("quiesce-retention")));
        oldSucceededJob();

        // Two intervals and more: a schedule still running would have swept by now.
        await().pollDelay(Duration.ofMillis(2600)).atMost(HANG_BOUND).until(() -> true);
        assertThat(jobs()).isEqualTo(1);
        assertThat(RetentionSweeperContract.deletedCounter(registry, "jobs")).isEqualTo(1);
    }

    private void oldSucceededJob() {
        jdbc.update("INSERT INTO jobs (type, state, payload, max_attempts, created_at, run_at, finished_at) VALUES"
                + " ('echo', 'SUCCEEDED', '{}', 1, DATEADD(DAY, -9, CURRENT_TIMESTAMP), DATEADD(DAY, -9, CURRENT_TIMESTAMP),"
                + " DATEADD(DAY, -8, CURRENT_TIMESTAMP))");
    }

    private long jobs() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM jobs", Long.class);
    }
}

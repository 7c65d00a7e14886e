package dev.quiesce.queue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The queue's gauges ({@code quiesce_queue_jobs}, {@code quiesce_queue_lag_seconds}) read from a migrated database,
 * unchanged on H2 and PostgreSQL: they count queued and running jobs, not the finished history, and measure the
 * wait of the oldest ready job per type with the database's clock.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class QueueBacklogContract {

    QueueTestDatabase database;
    JdbcTemplate jdbc;

    abstract QueueTestDatabase openDatabase();

    @BeforeAll
    void open() {
        database = openDatabase();
        jdbc = new JdbcTemplate(database.dataSource());
    }

    @AfterAll
    void close() {
        if (database != null) {
            database.close();
        }
    }

    @BeforeEach
    void emptyQueue() {
        database.deleteAll();
    }

    @Test
    void itCountsQueuedAndRunningJobsAndTheWaitOfTheOldestReadyJobPerType() {
        job("echo", "QUEUED", Duration.ofSeconds(20));
        job("echo", "QUEUED", Duration.ofSeconds(10));
        job("echo", "RUNNING", Duration.ofSeconds(300));
        job("sleep", "QUEUED", Duration.ofSeconds(-3600));
        job("other", "SUCCEEDED", Duration.ofSeconds(900));
        job("other", "FAILED", Duration.ofSeconds(900));

        QueueBacklog.Snapshot snapshot = new QueueBacklog(database.dataSource()).read();

        assertThat(snapshot.queued()).isEqualTo(3);
        assertThat(snapshot.running()).isEqualTo(1);
        assertThat(snapshot.lag()).containsOnlyKeys("echo");
        // Generous above: only that the oldest ready one is measured, from its run_at, on the database's clock.
        assertThat(snapshot.lag().get("echo").toMillis() / 1000.0).isBetween(19.0, 120.0);
    }

    @Test
    void anEmptyQueueHasNoBacklogAndNoLag() {
        job("other", "SUCCEEDED", Duration.ofSeconds(900));

        assertThat(new QueueBacklog(database.dataSource()).read()).isEqualTo(QueueBacklog.Snapshot.EMPTY);
    }

    @Test
    void everyConfiguredTypeHasALagGaugeFromStartUpAndOnlyQueuedAndRunningAreCounted() {
        job("echo", "QUEUED", Duration.ofSeconds(30));
        job("unconfigured", "QUEUED", Duration.ofSeconds(60));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new QueueDepthGauges(new QueueBacklog(database.dataSource()), List.of("echo", "sleep"), registry, Duration.ZERO);

        assertThat(registry.get("quiesce.queue.jobs").gauges()).extracting(gauge -> gauge.getId().getTag("state"))
                .containsExactlyInAnyOrder("QUEUED", "RUNNING");
        assertThat(registry.get("quiesce.queue.lag").gauges()).extracting(gauge -> gauge.getId().getTag("type"))
                .containsExactlyInAnyOrder("echo", "sleep");
        assertThat(registry.get("quiesce.queue.jobs").tag("state", "QUEUED").gauge().value()).isEqualTo(2);
        assertThat(registry.get("quiesce.queue.lag").tag("type", "echo").gauge().value()).isCloseTo(45, within(45.0));
        assertThat(registry.get("quiesce.queue.lag").tag("type", "sleep").gauge().value()).isZero();
        assertThat(registry.get("quiesce.queue.lag").gauge().getId().getBaseUnit()).isEqualTo("seconds");
    }

    /** A job whose run_at is {@code readyFor} before the database's now (negative: in the future). */
    void job(String type, String state, Duration readyFor) {
        String runAt = database.dialect().plusMillis("CURRENT_TIMESTAMP", "?");
        boolean finished = state.equals("SUCCEEDED") || state.equals("FAILED");
        jdbc.update("INSERT INTO jobs (type, state, payload, max_attempts, created_at, run_at, finished_at) VALUES (?, ?, '{}', 1, "
                        + runAt + ", " + runAt + ", " + (finished ? "CURRENT_TIMESTAMP" : "NULL") + ")",
                type, state, -readyFor.toMillis(), -readyFor.toMillis());
    }
}

package dev.quiesce.queue;

import dev.quiesce.testing.MigratedDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The {@code queue} health component: UP when the jobs table answers in time, DOWN with the reason otherwise. */
class QueueHealthIndicatorTest {

    /** Only stops a hung test. */
    private static final Duration HANG_BOUND = Duration.ofSeconds(30);

    private final CountDownLatch release = new CountDownLatch(1);
    private MigratedDatabase database;

    @AfterEach
    void close() {
        release.countDown();
        if (database != null) {
            database.close();
        }
    }

    @Test
    void aMigratedDatabaseIsUpAndTheDetailsNameTheDialect() {
        database = MigratedDatabase.h2("queue-health");

        Health health = new QueueHealthIndicator(database.dataSource(), SqlDialect.H2).health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("dialect", "H2").containsKey("tookMs");
    }

    @Test
    void aDatabaseWithoutTheJobsTableIsDownWithTheError() {
        DriverManagerDataSource empty = new DriverManagerDataSource(
                "jdbc:h2:mem:no-jobs-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");

        Health health = new QueueHealthIndicator(empty, SqlDialect.H2).health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(String.valueOf(health.getDetails().get("error"))).containsIgnoringCase("JOBS");
    }

    @Test
    void aDatabaseThatDoesNotAnswerIsDownAtTheTimeoutAndASecondProbeDoesNotPileUpAnotherConnection() {
        database = MigratedDatabase.h2("queue-health");
        AtomicInteger connectionsAsked = new AtomicInteger();
        DelegatingDataSource hanging = new DelegatingDataSource(database.dataSource()) {
            @Override
            public Connection getConnection() throws SQLException {
                connectionsAsked.incrementAndGet();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.getConnection();
            }
        };
        QueueHealthIndicator indicator = new QueueHealthIndicator(hanging, SqlDialect.H2, Duration.ofMillis(200));

        Health first = assertTimeoutPreemptively(HANG_BOUND, () -> indicator.health());
        Health second = assertTimeoutPreemptively(HANG_BOUND, () -> indicator.health());

        assertThat(first.getStatus()).isEqualTo(Status.DOWN);
        assertThat(String.valueOf(first.getDetails().get("error"))).contains("did not answer within 200 ms");
        assertThat(second.getStatus()).isEqualTo(Status.DOWN);
        assertThat(connectionsAsked).as("connections asked for by two probes while the first still hangs").hasValue(1);

        release.countDown();
        assertThat(assertTimeoutPreemptively(HANG_BOUND, () -> awaitUp(indicator))).isEqualTo(Status.UP);
    }

    private static Status awaitUp(QueueHealthIndicator indicator) throws InterruptedException {
        Status status;
        while ((status = indicator.health().getStatus()) != Status.UP) {
            Thread.sleep(20);
        }
        return status;
    }
}

package dev.quiesce.queue;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.util.unit.DataSize;

import javax.sql.DataSource;
import java.time.Duration;

/** The JDBC queue for tests of other packages, without a Spring context (the dialect is the queue's own business). */
public final class TestJobQueues {

    private TestJobQueues() {
    }

    /** A queue on {@code dataSource} with a 30 s lease and a 2 s heartbeat, publishing its events to {@code events}. */
    public static JdbcJobQueue jdbc(DataSource dataSource, ApplicationEventPublisher events) {
        QueueProperties properties = new QueueProperties(Duration.ofSeconds(30), Duration.ofSeconds(2), DataSize.ofKilobytes(256),
                3, Duration.ofSeconds(1), Duration.ofMinutes(10), Duration.ofDays(366));
        return new JdbcJobQueue(new JdbcTemplate(dataSource), new DataSourceTransactionManager(dataSource), properties, events,
                SqlDialect.of(dataSource));
    }
}

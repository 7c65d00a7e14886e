package dev.quiesce.fleet;

import dev.quiesce.instance.InstanceIdentity;
import dev.quiesce.queue.JobQueue;
import dev.quiesce.queue.JobsEnqueued;
import dev.quiesce.queue.QueueProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

import javax.sql.DataSource;
import java.sql.DatabaseMetaData;
import java.util.Locale;

/**
 * Binds {@code quiesce.fleet.*} and, on PostgreSQL with {@code listen} on, runs the fleet listener (wake-up,
 * liveness lock, rescue) and the enqueue notifier. Elsewhere both exist but never start, and the fleet meters stay 0.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FleetProperties.class)
class FleetConfiguration {

    private static final Logger log = LoggerFactory.getLogger(FleetConfiguration.class);

    @Bean
    FleetMetrics fleetMetrics(MeterRegistry registry) {
        return new FleetMetrics(registry);
    }

    @Bean
    FleetListener fleetListener(DataSource dataSource, FleetProperties properties, QueueProperties queue, InstanceIdentity identity,
                                JobQueue jobs, ApplicationEventPublisher events, JdbcTemplate jdbc, FleetMetrics metrics) {
        DedicatedConnections connections = connections(dataSource, properties);
        return new FleetListener(connections, identity.id(), properties, queue.ownerStaleAfter(),
                () -> events.publishEvent(JobsEnqueued.fromElsewhere()), new OwnerRescue(jobs, metrics), jdbc, metrics);
    }

    @Bean
    JobsNotifier jobsNotifier(DataSource dataSource, FleetProperties properties, JdbcTemplate jdbc, FleetMetrics metrics) {
        return new JobsNotifier(properties.listen() && isPostgres(dataSource), jdbc, metrics);
    }

    /** Where the listener connects, or null if it must not run here. */
    private static DedicatedConnections connections(DataSource dataSource, FleetProperties properties) {
        if (!properties.listen() || !isPostgres(dataSource)) {
            return null;
        }
        DedicatedConnections connections = DedicatedConnections.of(dataSource);
        if (connections == null) {
            log.warn("quiesce.fleet.listen is on, but the DataSource is not a HikariCP pool with a JDBC URL: the fleet"
                    + " listener cannot open its own connection. Instances find each other's jobs by polling, and are"
                    + " declared dead by their heartbeat only.");
        }
        return connections;
    }

    private static boolean isPostgres(DataSource dataSource) {
        try {
            String product = JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName);
            return product != null && product.toLowerCase(Locale.ROOT).contains("postgres");
        } catch (MetaDataAccessException e) {
            throw new IllegalStateException("Cannot tell which database the job queue runs on", e);
        }
    }
}

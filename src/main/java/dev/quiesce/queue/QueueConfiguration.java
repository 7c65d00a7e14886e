package dev.quiesce.queue;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;

/**
 * Binds {@code quiesce.queue.*}, tells the queue which SQL dialect its DataSource speaks, and contributes the
 * {@code queue} health component.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(QueueProperties.class)
class QueueConfiguration {

    @Bean
    SqlDialect queueSqlDialect(DataSource dataSource) {
        return SqlDialect.of(dataSource);
    }

    @Bean
    HealthIndicator queueHealthIndicator(DataSource dataSource, SqlDialect dialect) {
        return new QueueHealthIndicator(dataSource, dialect);
    }
}

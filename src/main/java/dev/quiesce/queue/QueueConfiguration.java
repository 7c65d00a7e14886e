package dev.quiesce.queue;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;

/** Binds {@code quiesce.queue.*} and tells the queue which SQL dialect its DataSource speaks. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(QueueProperties.class)
class QueueConfiguration {

    @Bean
    SqlDialect queueSqlDialect(DataSource dataSource) {
        return SqlDialect.of(dataSource);
    }
}

package dev.quiesce.queue;

import dev.quiesce.api.Jobs;
import dev.quiesce.job.JobAdmission;
import dev.quiesce.job.JobTypes;
import dev.quiesce.job.PayloadBinder;
import tools.jackson.databind.ObjectMapper;
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

    /** What may be enqueued, for the HTTP API and {@link dev.quiesce.api.Jobs} alike. */
    @Bean
    JobAdmission jobAdmission(JobTypes types, ObjectMapper mapper, QueueProperties queue) {
        return new JobAdmission(types, mapper, queue.maxPayload().toBytes(), queue.runAtHorizon());
    }

    @Bean
    Jobs jobs(JobQueue queue, JobAdmission admission, PayloadBinder binder) {
        return new LocalJobs(queue, admission, binder);
    }
}

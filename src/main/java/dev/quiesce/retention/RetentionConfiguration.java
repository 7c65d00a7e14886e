package dev.quiesce.retention;

import dev.quiesce.queue.QueueProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;

/**
 * Retention of finished rows (DESIGN §10): binds {@code quiesce.retention.*}, registers
 * {@code quiesce_retention_deleted_total} and sweeps periodically on every instance.
 *
 * <p>A package of its own rather than part of {@code queue}: the sweep spans tables of two capabilities (the queue's
 * {@code jobs} and {@code workers}, the shutdown's {@code shutdown_reports}) and needs none of their code, only their
 * schema, which the migrations fix; neither capability has to know that its history is pruned.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RetentionProperties.class)
class RetentionConfiguration {

    @Bean
    RetentionSweeper retentionSweeper(DataSource dataSource, RetentionProperties retention, QueueProperties queue,
                                      MeterRegistry registry) {
        retention.checkAgainst(queue.ownerStaleAfter());
        return new RetentionSweeper(dataSource, retention, new RetentionMetrics(registry));
    }

    @Bean
    RetentionSchedule retentionSchedule(RetentionSweeper sweeper, RetentionProperties retention) {
        return new RetentionSchedule(sweeper, retention.interval());
    }
}

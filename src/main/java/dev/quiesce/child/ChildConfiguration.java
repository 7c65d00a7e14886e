package dev.quiesce.child;

import dev.quiesce.instance.DataDirectory;
import dev.quiesce.leak.Leaks;
import dev.quiesce.shutdown.ShutdownBudget;
import dev.quiesce.shutdown.ShutdownClock;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ChildProperties.class)
class ChildConfiguration {

    @Bean
    ChildPool childPool(ChildProperties properties, DataDirectory dataDirectory, ShutdownClock shutdownClock,
                        ShutdownBudget budget, MeterRegistry registry, Leaks leaks) {
        return new ChildPool(properties, dataDirectory.path(), shutdownClock, budget.cancelGrace(), registry, leaks);
    }

    @Bean
    HealthIndicator childPoolHealthIndicator(ChildPool childPool) {
        return new ChildPoolHealthIndicator(childPool);
    }
}

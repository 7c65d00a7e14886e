package dev.quiesce.leak;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class LeakConfiguration {

    @Bean
    Leaks leaks(MeterRegistry registry) {
        return new Leaks(registry);
    }
}

package dev.quiesce.leak;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.ArrayList;
import java.util.List;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LeakProperties.class)
class LeakConfiguration {

    @Bean
    Leaks leaks(MeterRegistry registry) {
        return new Leaks(registry);
    }

    @Bean
    FileDescriptorCheck fileDescriptorCheck(LeakProperties properties) {
        return new FileDescriptorCheck(properties.fdTolerance());
    }

    /** The baseline of open descriptors is what the service holds once it is ready, not while it starts. */
    @Bean
    ApplicationListener<ApplicationReadyEvent> fileDescriptorBaseline(FileDescriptorCheck check) {
        return event -> check.baseline();
    }

    /**
     * The capabilities' checks first (children before leases before scratch directories, as they are declared),
     * then the JVM-wide ones, which must see the state those left.
     */
    @Bean
    LeakAudit leakAudit(ObjectProvider<LeakCheck> capabilityChecks, FileDescriptorCheck fileDescriptors, Leaks leaks) {
        List<LeakCheck> checks = new ArrayList<>();
        capabilityChecks.orderedStream().filter(check -> check != fileDescriptors).forEach(checks::add);
        checks.add(new JvmThreadCheck());
        checks.add(fileDescriptors);
        return new LeakAudit(checks, leaks);
    }
}

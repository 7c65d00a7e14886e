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

    @Bean
    JvmThreadCheck jvmThreadCheck() {
        return new JvmThreadCheck();
    }

    /** The baselines of open descriptors and threads are what the service holds once it is ready, not while it starts. */
    @Bean
    ApplicationListener<ApplicationReadyEvent> leakBaselines(FileDescriptorCheck fileDescriptors, JvmThreadCheck threads) {
        return event -> {
            fileDescriptors.baseline();
            threads.baseline();
        };
    }

    /**
     * The capabilities' checks first (children before leases before scratch directories, as they are declared),
     * then the JVM-wide ones, which must see the state those left.
     */
    @Bean
    LeakAudit leakAudit(ObjectProvider<LeakCheck> capabilityChecks, JvmThreadCheck threads, FileDescriptorCheck fileDescriptors,
                        Leaks leaks) {
        List<LeakCheck> checks = new ArrayList<>();
        capabilityChecks.orderedStream().filter(check -> check != fileDescriptors && check != threads).forEach(checks::add);
        checks.add(threads);
        checks.add(fileDescriptors);
        return new LeakAudit(checks, leaks);
    }
}

package dev.quiesce.child;

import dev.quiesce.instance.DataDirectory;
import dev.quiesce.job.builtin.BuiltinProperties;
import dev.quiesce.plugin.Plugins;
import dev.quiesce.leak.Leaks;
import dev.quiesce.shutdown.ShutdownBudget;
import dev.quiesce.shutdown.ShutdownClock;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ChildProperties.class)
class ChildConfiguration {

    @Bean
    ChildPool childPool(ChildProperties properties, DataDirectory dataDirectory, ShutdownClock shutdownClock,
                        ShutdownBudget budget, MeterRegistry registry, Leaks leaks, ObjectProvider<Plugins> plugins,
                        BuiltinProperties builtin) {
        return new ChildPool(properties, dataDirectory.path(), shutdownClock, budget.cancelGrace(), registry, leaks,
                taskSource(plugins.getIfAvailable(Plugins::none), builtin));
    }

    /**
     * The plugins' jars (the stock service's; none in an application that uses Quiesce as a library, whose class path
     * the children share), the fault tasks if enabled, and the journal directory for the built-in tasks.
     */
    static ChildTaskSource taskSource(Plugins plugins, BuiltinProperties builtin) {
        Map<String, String> environment = builtin.journalDir() == null ? Map.of()
                : Map.of("QUIESCE_JOURNAL_DIR", realPath(builtin.journalDir()).toString());
        return new ChildTaskSource(plugins.jars(), plugins.classLoader(), builtin.faultTypes(), environment);
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }

    @Bean
    HealthIndicator childPoolHealthIndicator(ChildPool childPool) {
        return new ChildPoolHealthIndicator(childPool);
    }
}

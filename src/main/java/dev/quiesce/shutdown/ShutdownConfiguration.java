package dev.quiesce.shutdown;

import dev.quiesce.instance.InstanceIdentity;
import dev.quiesce.leak.LeakAudit;
import dev.quiesce.leak.Leaks;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.context.support.DefaultLifecycleProcessor;
import org.springframework.core.env.Environment;

import javax.sql.DataSource;
import java.time.Duration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ShutdownProperties.class)
class ShutdownConfiguration {

    static final String PHASE_TIMEOUT = "spring.lifecycle.timeout-per-shutdown-phase";

    @Bean
    ShutdownBudget shutdownBudget(ShutdownProperties properties) {
        return ShutdownBudget.of(properties);
    }

    @Bean
    ShutdownTimeline shutdownTimeline(ShutdownClock clock, MeterRegistry registry) {
        return new ShutdownTimeline(clock, registry);
    }

    /** The dispatch phase is over when the web server's begins. */
    @Bean
    SmartLifecycle webServerPhaseMarker(ShutdownTimeline timeline) {
        return new ShutdownTimeline.Marker(timeline, "web_server", ShutdownPhases.WEB_SERVER);
    }

    /** The web server's phases (graceful stop, then stop) are over when the children's begins. */
    @Bean
    SmartLifecycle childrenPhaseMarker(ShutdownTimeline timeline) {
        return new ShutdownTimeline.Marker(timeline, "children", ShutdownPhases.CHILDREN);
    }

    /**
     * The dispatcher and the child pool are looked up when the report is written, not injected: Spring stops a
     * lifecycle bean's dependents before the bean itself, so a reporter that depended on them would be stopped —
     * and would report — before the dispatcher had even begun to drain.
     */
    @Bean
    ShutdownReporter shutdownReporter(ShutdownClock clock, ShutdownBudget budget, ShutdownTimeline timeline, LeakAudit audit,
                                      Leaks leaks, ObjectProvider<JobsAtShutdown> jobs, ObjectProvider<ChildrenAtShutdown> children,
                                      ShutdownReports reports, InstanceIdentity identity, ShutdownProperties properties,
                                      DataSource dataSource) {
        return new ShutdownReporter(clock, budget, timeline, audit, leaks,
                () -> jobs.getIfAvailable(() -> () -> ShutdownReport.Jobs.NONE).jobsAtShutdown(),
                () -> children.getIfAvailable(() -> () -> ShutdownReport.Children.NONE).childrenAtShutdown(),
                reports, identity, properties.terminationMessagePath(), new ConnectionPoolClose(dataSource));
    }

    /**
     * Replaces Boot's lifecycle processor to derive each of our phases' timeout from the budget. Spring only
     * logs a phase that overruns its timeout and moves on, which would let the child pool stop under a
     * still-draining dispatcher; so our phases get their slice plus the margin, and the web server (which
     * has no business taking long once the dispatcher drained) gets the margin.
     */
    @Bean(name = AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME)
    DefaultLifecycleProcessor lifecycleProcessor(ShutdownBudget budget, Environment environment) {
        Duration otherPhases = Binder.get(environment).bind(PHASE_TIMEOUT, Duration.class).orElse(Duration.ofSeconds(30));
        DefaultLifecycleProcessor processor = new DefaultLifecycleProcessor();
        processor.setTimeoutPerShutdownPhase(otherPhases.toMillis());
        processor.setTimeoutForShutdownPhase(ShutdownPhases.DISPATCH, budget.dispatchSlice().plus(budget.margin()).toMillis());
        processor.setTimeoutForShutdownPhase(ShutdownPhases.WEB_SERVER, budget.margin().toMillis());
        processor.setTimeoutForShutdownPhase(ShutdownPhases.FLEET, budget.margin().toMillis());
        processor.setTimeoutForShutdownPhase(ShutdownPhases.CHILDREN, budget.childStopTimeout().plus(budget.margin()).toMillis());
        processor.setTimeoutForShutdownPhase(ShutdownPhases.AUDIT, budget.margin().toMillis());
        return processor;
    }
}

package dev.quiesce.autoconfigure;

import dev.quiesce.QuiesceApplication;
import dev.quiesce.plugin.PluginProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationExcludeFilter;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;

/**
 * The whole Quiesce service for any Spring Boot application that has {@code dev.quiesce:quiesce} on its class path:
 * the queue, the dispatcher and its runners, the child pool, the HTTP API, the actuator endpoint, the shutdown and its
 * report. The application's own {@link dev.quiesce.api.JobHandler} and {@link dev.quiesce.api.ChildJobType} beans are
 * picked up wherever they are declared. Quiesce's defaults ({@code quiesce-defaults.yml}) sit below the
 * application's own properties.
 */
@AutoConfiguration
@EnableConfigurationProperties(PluginProperties.class)
@ComponentScan(basePackages = "dev.quiesce", excludeFilters = {
        @ComponentScan.Filter(type = FilterType.CUSTOM, classes = TypeExcludeFilter.class),
        @ComponentScan.Filter(type = FilterType.CUSTOM, classes = AutoConfigurationExcludeFilter.class),
        @ComponentScan.Filter(type = FilterType.ASSIGNABLE_TYPE, classes = QuiesceApplication.class)})
public class QuiesceAutoConfiguration {
}

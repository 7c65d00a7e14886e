package dev.quiesce.settings;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Adds Quiesce's defaults ({@code quiesce-defaults.yml}: H2 under ./data, ports 8080/8081, graceful server shutdown,
 * problem+json, strict JSON, the actuator's exposure and health groups, ...) as the last property source, so that
 * they hold for the stock service and for an application that uses Quiesce as a library alike, and anything the
 * application sets (its application.yml, environment, command line) wins. An {@code application.yml} in a jar
 * cannot do this: an application's own would hide it.
 */
public final class QuiesceDefaults implements EnvironmentPostProcessor, Ordered {

    static final String RESOURCE = "quiesce-defaults.yml";
    static final String NAME = "quiesce-defaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.getPropertySources().contains(NAME)) {
            return;
        }
        try {
            List<PropertySource<?>> sources = new YamlPropertySourceLoader()
                    .load(NAME, new ClassPathResource(RESOURCE, QuiesceDefaults.class.getClassLoader()));
            for (PropertySource<?> source : sources) {
                environment.getPropertySources().addLast(source);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + " from Quiesce's jar", e);
        }
    }

    /** After the config data (application.yml) has been loaded, so that addLast really comes last. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}

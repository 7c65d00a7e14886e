package dev.quiesce.testing;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.Map;

/**
 * Starts the service in the test's JVM with properties that win over {@code application.yml}. (Spring's "default
 * properties" — {@code SpringApplicationBuilder.properties(...)} — lose to it: a test that set {@code server.port}
 * or {@code spring.datasource.url} that way silently ran on port 8080 and on H2.) They are passed as command-line
 * arguments, as a user would pass them.
 */
public final class TestContexts {

    private TestContexts() {
    }

    public static ConfigurableApplicationContext start(Map<String, ?> properties, Class<?>... sources) {
        String[] args = properties.entrySet().stream()
                .map(entry -> "--" + entry.getKey() + "=" + entry.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(sources).run(args);
    }
}

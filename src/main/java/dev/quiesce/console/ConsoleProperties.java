package dev.quiesce.console;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The operations console ({@code /console} on the API port).
 *
 * @param enabled whether the service serves the console's pages; false answers 404 under /console (the JSON API, which
 *                offers every action of the console, stays)
 */
@ConfigurationProperties("quiesce.console")
public record ConsoleProperties(@DefaultValue("true") boolean enabled) {

    /** The property that turns the console's pages off. */
    static final String ENABLED = "quiesce.console.enabled";
}

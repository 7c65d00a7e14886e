package dev.quiesce.dispatch;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import java.util.Map;

/**
 * Where each job type runs ({@code quiesce.routing.<type>=thread|child}). A type with an in-process handler
 * runs on a thread unless routed to {@code child}; a type that only a child task knows runs in a child.
 * {@link Routing} checks at start-up that the chosen runner knows the type.
 *
 * @param routing job type → thread (a thread of this JVM, needs an in-process handler) or child
 *                (a child JVM, needs a child task and quiesce.children.size of 1 or more)
 */
@Validated
@ConfigurationProperties("quiesce")
public record RoutingProperties(
        Map<String, @NotNull(message = "thread or child") @Pattern(regexp = "\\s*(?i:thread|child)\\s*", message = "thread or child") String> routing) {

    public RoutingProperties {
        routing = routing == null ? Map.of() : Map.copyOf(routing);
    }
}

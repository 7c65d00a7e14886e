package dev.quiesce.dispatch;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.Map;

/**
 * Where each job type runs ({@code quiesce.routing.<type>=thread|child}). A type with an in-process handler
 * runs on a thread unless routed to {@code child}; a type that only a child task knows runs in a child.
 *
 * @param routing job type → {@code thread} or {@code child}
 */
@ConfigurationProperties("quiesce")
public record RoutingProperties(Map<String, String> routing) {

    public RoutingProperties {
        routing = routing == null ? Map.of() : Map.copyOf(routing);
    }
}

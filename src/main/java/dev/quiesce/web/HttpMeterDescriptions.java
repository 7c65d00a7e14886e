package dev.quiesce.web;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import org.springframework.stereotype.Component;

import java.util.Map;

/**
 * Help text for the HTTP server meters, which Spring's observation handler registers without a description:
 * Prometheus would print them with an empty {@code # HELP} line, and {@code promtool check metrics} reports
 * "no help text" for each (the scrape must pass it: METRICS.md). No Boot property sets a meter's description,
 * hence this filter; Boot applies every {@link MeterFilter} bean to its registries before any meter exists.
 */
@Component
final class HttpMeterDescriptions implements MeterFilter {

    private static final Map<String, String> DESCRIPTIONS = Map.of(
            "http.server.requests", "HTTP requests served, by method, URI template, status, outcome and exception",
            "http.server.requests.active", "HTTP requests being served now");

    @Override
    public Meter.Id map(Meter.Id id) {
        String description = DESCRIPTIONS.get(id.getName());
        if (description == null || (id.getDescription() != null && !id.getDescription().isBlank())) {
            return id;
        }
        return new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(), description, id.getType());
    }
}

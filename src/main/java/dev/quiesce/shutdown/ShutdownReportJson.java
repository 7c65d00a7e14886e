package dev.quiesce.shutdown;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A {@link ShutdownReport} as the JSON of the {@code report} column, and back, exactly. Durations are
 * milliseconds — a whole number when whole, else with up to six decimals, so that nanoseconds survive — and
 * instants ISO-8601 strings. Fields are named with their unit ({@code tookMs}) because the JSON is read by
 * people too (psql, a dashboard's SQL). Reading tolerates missing fields, so older rows stay readable.
 */
final class ShutdownReportJson {

    private static final BigDecimal NANOS_PER_MILLI = BigDecimal.valueOf(1_000_000);

    private final JsonMapper writer;
    /** Reads fractional numbers as decimals: through a double, {@code 1234.567891} ms could lose its last digit. */
    private final JsonMapper reader;

    ShutdownReportJson(JsonMapper mapper) {
        this.writer = mapper;
        this.reader = mapper.rebuild().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    }

    String write(ShutdownReport report) {
        ObjectNode json = writer.createObjectNode();
        json.put("instanceId", report.instanceId());
        json.put("instanceName", report.instanceName());
        json.put("startedAt", report.startedAt().toString());
        putMillis(json, "budgetMs", report.budget());
        putMillis(json, "tookMs", report.took());
        ObjectNode phases = json.putObject("phasesMs");
        report.phases().forEach((phase, took) -> putMillis(phases, phase, took));
        ShutdownReport.Jobs jobs = report.jobs();
        json.putObject("jobs")
                .put("drained", jobs.drained())
                .put("cancelled", jobs.cancelled())
                .put("released", jobs.released())
                .put("abandoned", jobs.abandoned())
                .put("unreleased", jobs.unreleased())
                .put("unwritten", jobs.unwritten());
        ShutdownReport.Children children = report.children();
        json.putObject("children")
                .put("graceful", children.graceful())
                .put("terminated", children.terminated())
                .put("killed", children.killed());
        counts(json.putObject("leaks"), report.leaks());
        counts(json.putObject("outstanding"), report.outstanding());
        counts(json.putObject("inherited"), report.inherited());
        json.put("outcome", report.outcome().tag());
        return writer.writeValueAsString(json);
    }

    ShutdownReport read(String text) {
        JsonNode json = reader.readTree(text);
        JsonNode jobs = json.path("jobs");
        JsonNode children = json.path("children");
        return new ShutdownReport(
                json.path("instanceId").asString(),
                json.path("instanceName").asString(),
                Instant.parse(json.path("startedAt").asString()),
                duration(json.path("budgetMs")),
                duration(json.path("tookMs")),
                map(json.path("phasesMs"), ShutdownReportJson::duration),
                new ShutdownReport.Jobs(jobs.path("drained").asInt(), jobs.path("cancelled").asInt(),
                        jobs.path("released").asInt(), jobs.path("abandoned").asInt(), jobs.path("unreleased").asInt(),
                        jobs.path("unwritten").asInt()),
                new ShutdownReport.Children(children.path("graceful").asInt(), children.path("terminated").asInt(),
                        children.path("killed").asInt()),
                map(json.path("leaks"), JsonNode::asLong),
                map(json.path("outstanding"), JsonNode::asLong),
                map(json.path("inherited"), JsonNode::asLong),
                ShutdownOutcome.ofTag(json.path("outcome").asString()));
    }

    /** {@code 28000} for 28 s, {@code 1234.5} for 1234.5 ms: plain numbers, never {@code 2.8E+4}. */
    private static void putMillis(ObjectNode json, String name, Duration duration) {
        long nanos = duration.toNanos();
        if (nanos % 1_000_000 == 0) {
            json.put(name, nanos / 1_000_000);
        } else {
            json.put(name, BigDecimal.valueOf(nanos, 6).stripTrailingZeros());
        }
    }

    private static Duration duration(JsonNode millis) {
        return Duration.ofNanos(millis.asDecimal(BigDecimal.ZERO).multiply(NANOS_PER_MILLI).longValueExact());
    }

    private static void counts(ObjectNode json, Map<String, Long> counts) {
        counts.forEach(json::put);
    }

    /** In the order of the JSON, which is the order they were written in. */
    private static <V> Map<String, V> map(JsonNode json, Function<JsonNode, V> value) {
        Map<String, V> map = new LinkedHashMap<>();
        json.properties().forEach(entry -> map.put(entry.getKey(), value.apply(entry.getValue())));
        return map;
    }
}

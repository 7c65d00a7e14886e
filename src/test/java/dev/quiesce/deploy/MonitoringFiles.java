package dev.quiesce.deploy;

import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;

/**
 * The monitoring files the chart ships — the Grafana dashboard and the Prometheus alert rules — and the PromQL
 * in them. Paths are relative to the project directory, where Maven runs the tests.
 */
final class MonitoringFiles {

    static final Path CHART_FILES = Path.of("helm", "quiesce", "files");
    static final Path DASHBOARD = CHART_FILES.resolve("grafana-dashboard.json");
    static final Path RULES = CHART_FILES.resolve("quiesce-alerts.rules.yml");
    static final Path RULE_TESTS = Path.of("src", "test", "resources", "prometheus", "quiesce-alerts.test.yml");
    /** Where each alert's runbook_url points: the README section of the same name (GitHub's heading anchor). */
    static final String RUNBOOK = "https://github.com/quiesce-dev/quiesce#";

    /** The series every pod reports alike, read from the shared database (aggregate with max, never sum). */
    static final List<String> FLEET_WIDE = List.of("quiesce_queue_jobs", "quiesce_queue_lag_seconds", "quiesce_shutdown_reports_total");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private MonitoringFiles() {
    }

    /**
     * One PromQL expression and where it is used (for messages).
     *
     * @param grafanaQuery a template-variable query, which may use Grafana's functions such as label_values
     */
    record Expression(String where, String promql, boolean grafanaQuery) {

        SortedSet<String> metricNames() {
            return grafanaQuery ? PromQlNames.ofGrafanaQuery(promql) : PromQlNames.of(promql);
        }
    }

    static JsonNode dashboard() {
        return JSON.readTree(read(DASHBOARD));
    }

    /** The alert rules file as YAML maps. */
    static Map<String, Object> rules() {
        return new Yaml().load(read(RULES));
    }

    static Map<String, Object> ruleTests() {
        return new Yaml().load(read(RULE_TESTS));
    }

    /** Every panel target's expression (rows' nested panels included) and every query variable's query. */
    static List<Expression> dashboardExpressions() {
        JsonNode dashboard = dashboard();
        List<Expression> expressions = new ArrayList<>();
        for (JsonNode panel : panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asString("");
                if (!expr.isBlank()) {
                    expressions.add(new Expression("dashboard panel '" + panel.path("title").asString() + "' target "
                            + target.path("refId").asString(), expr, false));
                }
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asString().equals("query")) {
                JsonNode query = variable.path("query");
                String text = query.isObject() ? query.path("query").asString("") : query.asString("");
                expressions.add(new Expression("dashboard variable $" + variable.path("name").asString(), text, true));
            }
        }
        return expressions;
    }

    /** Panels, including those inside rows (a collapsed row keeps its panels in its own "panels"). */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel);
            for (JsonNode nested : panel.path("panels")) {
                panels.add(nested);
            }
        }
        return panels;
    }

    /** Each rule of the rules file: alert or record name, and the rule's YAML map. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> ruleList() {
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) rules().get("groups")) {
            rules.addAll((List<Map<String, Object>>) group.get("rules"));
        }
        return rules;
    }

    static List<Expression> ruleExpressions() {
        List<Expression> expressions = new ArrayList<>();
        for (Map<String, Object> rule : ruleList()) {
            String name = rule.containsKey("alert") ? "alert " + rule.get("alert") : "record " + rule.get("record");
            expressions.add(new Expression("rules " + name, String.valueOf(rule.get("expr")), false));
        }
        return expressions;
    }

    static String read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new AssertionError(file.toAbsolutePath() + " is missing (tests run from the project directory)");
        }
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

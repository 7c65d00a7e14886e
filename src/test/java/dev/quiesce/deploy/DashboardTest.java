package dev.quiesce.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.quiesce.deploy.MonitoringFiles.FLEET_WIDE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboard the chart ships: what Grafana needs to load it (uid, variables, a layout without
 * overlaps), every query valid PromQL (promtool), every query narrowed to the chosen namespace and pods, every
 * Quiesce meter on some panel, and fleet-wide series never summed. MonitoringNamesIT checks the names against
 * a live scrape.
 */
class DashboardTest {

    private static final String DATASOURCE = "${datasource}";
    private static final Pattern GRAFANA_VARIABLE = Pattern.compile("\\$\\{?(\\w+)}?");

    /** DESIGN §6, as PromQL selects them (a timer's _sum/_count, a histogram's _bucket). */
    private static final List<String> QUIESCE_SERIES = List.of("quiesce_jobs_claimed_total", "quiesce_jobs_finished_total",
            "quiesce_jobs_released_total", "quiesce_jobs_reclaimed_total", "quiesce_jobs_fenced_total",
            "quiesce_jobs_in_flight", "quiesce_job_duration_seconds_bucket", "quiesce_job_duration_seconds_count",
            "quiesce_queue_jobs", "quiesce_queue_lag_seconds", "quiesce_retention_deleted_total", "quiesce_children",
            "quiesce_child_starts_total", "quiesce_child_exits_total", "quiesce_child_ready_seconds_sum",
            "quiesce_child_ready_seconds_count", "quiesce_leaked_resources", "quiesce_leaks_detected_total",
            "quiesce_leaks_reclaimed_total", "quiesce_shutdown_phase_seconds_sum", "quiesce_shutdown_phase_seconds_count",
            "quiesce_shutdown_reports_total", "quiesce_child_pool_degraded");
    private static final List<String> JVM_SERIES = List.of("jvm_memory_used_bytes", "jvm_gc_pause_seconds_sum",
            "jvm_threads_live_threads", "process_cpu_usage", "process_files_open_files", "hikaricp_connections_active");

    private final JsonNode dashboard = MonitoringFiles.dashboard();

    @Test
    void itIsTheQuiesceDashboardTemplatedOnDataSourceNamespaceAndPod() {
        assertThat(dashboard.path("uid").asString("")).isEqualTo("quiesce");
        assertThat(dashboard.path("schemaVersion").asInt()).isEqualTo(39);
        Map<String, JsonNode> variables = new LinkedHashMap<>();
        dashboard.path("templating").path("list").forEach(variable -> variables.put(variable.path("name").asString(""), variable));

        assertThat(variables).containsOnlyKeys("datasource", "namespace", "pod");
        assertThat(variables.get("datasource").path("type").asString("")).isEqualTo("datasource");
        assertThat(variables.get("datasource").path("query").asString("")).isEqualTo("prometheus");
        assertThat(variables.get("namespace").path("query").path("query").asString(""))
                .isEqualTo("label_values(quiesce_jobs_in_flight, namespace)");
        assertThat(variables.get("pod").path("query").path("query").asString(""))
                .isEqualTo("label_values(quiesce_jobs_in_flight{namespace=\"$namespace\"}, pod)");
        for (String name : List.of("namespace", "pod")) {
            assertThat(variables.get(name).path("type").asString("")).as("type of $%s", name).isEqualTo("query");
            assertThat(variables.get(name).path("datasource").path("uid").asString("")).as("data source of $%s", name)
                    .isEqualTo(DATASOURCE);
        }
    }

    @Test
    void panelsHaveUniqueIdsTheChosenDataSourceAndALayoutWithoutOverlaps() {
        List<JsonNode> panels = MonitoringFiles.panels(dashboard);
        Set<Integer> ids = new HashSet<>();
        List<int[]> boxes = new ArrayList<>();
        for (JsonNode panel : panels) {
            String title = panel.path("title").asString("");
            assertThat(ids.add(panel.path("id").asInt())).as("id of '%s' is unique", title).isTrue();
            JsonNode grid = panel.path("gridPos");
            int[] box = {grid.path("x").asInt(), grid.path("y").asInt(), grid.path("w").asInt(), grid.path("h").asInt()};
            assertThat(box[0] + box[2]).as("right edge of '%s'", title).isBetween(1, 24);
            for (int[] other : boxes) {
                boolean apart = box[0] + box[2] <= other[0] || other[0] + other[2] <= box[0]
                        || box[1] + box[3] <= other[1] || other[1] + other[3] <= box[1];
                assertThat(apart).as("'%s' overlaps another panel", title).isTrue();
            }
            boxes.add(box);
            if (panel.path("type").asString("").equals("row")) {
                continue;
            }
            assertThat(panel.path("datasource").path("uid").asString("")).as("data source of '%s'", title).isEqualTo(DATASOURCE);
            assertThat(panel.path("targets").size()).as("targets of '%s'", title).isPositive();
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("datasource").path("uid").asString("")).as("data source of a target of '%s'", title)
                        .isEqualTo(DATASOURCE);
            }
        }
    }

    @Test
    void everyQueryIsNarrowedToTheNamespaceAndPerPodSeriesToThePods() {
        for (MonitoringFiles.Expression expression : panelExpressions()) {
            assertThat(expression.promql()).as(expression.where()).contains("namespace=\"$namespace\"");
            boolean onlyFleetWide = FLEET_WIDE.containsAll(expression.metricNames());
            if (!onlyFleetWide) {
                assertThat(expression.promql()).as(expression.where()).contains("pod=~\"$pod\"");
            }
        }
    }

    @Test
    void everyQuiesceMeterAndTheUsualJvmMetersAreOnSomePanel() {
        SortedSet<String> read = new TreeSet<>();
        panelExpressions().forEach(expression -> read.addAll(expression.metricNames()));

        assertThat(read).containsAll(QUIESCE_SERIES).containsAll(JVM_SERIES);
    }

    @Test
    void fleetWideSeriesAreAggregatedWithMaxOrMinNeverSummed() {
        for (MonitoringFiles.Expression expression : panelExpressions()) {
            for (String series : FLEET_WIDE) {
                assertThat(PromQlNames.aggregationsAround(expression.promql(), series))
                        .as("aggregations around %s in %s", series, expression.where())
                        .allMatch(aggregation -> aggregation.equals("max") || aggregation.equals("min"));
            }
        }
    }

    /** Each query as a recording rule, Grafana's variables replaced by values, checked by promtool's parser. */
    @Test
    void everyPanelQueryIsValidPromQl(@TempDir Path dir) throws IOException {
        Promtool promtool = Promtool.required();
        List<Map<String, Object>> rules = new ArrayList<>();
        List<MonitoringFiles.Expression> expressions = panelExpressions();
        for (int i = 0; i < expressions.size(); i++) {
            rules.add(Map.of("record", "dashboard_query_" + i, "expr", withValues(expressions.get(i).promql())));
        }
        Path file = dir.resolve("dashboard-queries.rules.yml");
        Files.writeString(file, new Yaml().dump(Map.of("groups", List.of(Map.of("name", "dashboard", "rules", rules)))));

        Promtool.Result result = promtool.run(dir, "", "check", "rules", file.toString());

        assertThat(result.exit()).as(result.describe()).isZero();
        assertThat(result.output()).as(result.describe()).contains("SUCCESS: " + expressions.size() + " rules found");
    }

    private static List<MonitoringFiles.Expression> panelExpressions() {
        List<MonitoringFiles.Expression> expressions = MonitoringFiles.dashboardExpressions().stream()
                .filter(expression -> !expression.grafanaQuery()).toList();
        assertThat(expressions).as("panel queries").hasSizeGreaterThan(20);
        return expressions;
    }

    /** Grafana's interval variables become a duration, the others a plain value ({@code pod=~"x"}). */
    private static String withValues(String promql) {
        Matcher variable = GRAFANA_VARIABLE.matcher(promql);
        StringBuilder result = new StringBuilder();
        while (variable.find()) {
            variable.appendReplacement(result, variable.group(1).startsWith("__") ? "5m" : "x");
        }
        variable.appendTail(result);
        return result.toString();
    }
}

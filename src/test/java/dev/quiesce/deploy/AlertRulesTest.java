package dev.quiesce.deploy;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static dev.quiesce.deploy.MonitoringFiles.FLEET_WIDE;
import static dev.quiesce.deploy.MonitoringFiles.RULES;
import static dev.quiesce.deploy.MonitoringFiles.RULE_TESTS;
import static dev.quiesce.deploy.MonitoringFiles.RUNBOOK;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert rules the chart ships: valid for Prometheus ({@code promtool check rules}), right in every unit test
 * ({@code promtool test rules}), each alert both seen firing and seen staying quiet in those tests, documented,
 * and reading fleet-wide series with max, never sum.
 */
class AlertRulesTest {

    private static final Set<String> ALERTS = Set.of("QuiesceLeakedResources", "QuiesceShutdownLeaky",
            "QuiesceShutdownOverran", "QuiesceChildPoolDegraded", "QuiesceQueueBacklogGrowing", "QuiesceQueueLagHigh", "QuiesceJobsFenced",
            "QuiesceReclaimsSpiking");

    @Test
    void promtoolAcceptsTheRulesFile() {
        Promtool.Result result = Promtool.required().run(Path.of(""), "", "check", "rules", RULES.toString());

        assertThat(result.exit()).as(result.describe()).isZero();
        assertThat(result.output()).as(result.describe()).contains("SUCCESS: " + ALERTS.size() + " rules found");
    }

    @Test
    void everyPromtoolUnitTestOfTheRulesPasses() {
        // From the test file's own directory: its rule_files path is relative to it.
        Path directory = RULE_TESTS.getParent();
        Promtool.Result result = Promtool.required()
                .run(directory, "", "test", "rules", RULE_TESTS.getFileName().toString());

        assertThat(result.exit()).as(result.describe()).isZero();
        assertThat(result.output()).as(result.describe()).contains("SUCCESS").doesNotContain("FAILED");
    }

    @Test
    void theUnitTestsRunTheChartsRulesFile() {
        Path directory = RULE_TESTS.toAbsolutePath().getParent();
        List<Path> ruleFiles = ruleFilesOf(MonitoringFiles.ruleTests()).stream()
                .map(file -> directory.resolve(file).normalize()).toList();

        assertThat(ruleFiles).containsExactly(RULES.toAbsolutePath().normalize());
    }

    @Test
    void everyAlertIsSeenFiringAndSeenQuietInTheUnitTests() {
        Set<String> firing = new TreeSet<>();
        Set<String> quiet = new TreeSet<>();
        for (Map<String, Object> check : alertRuleTests(MonitoringFiles.ruleTests())) {
            List<?> expected = (List<?>) check.get("exp_alerts");
            (expected == null || expected.isEmpty() ? quiet : firing).add((String) check.get("alertname"));
        }

        assertThat(alertNames()).containsExactlyInAnyOrderElementsOf(ALERTS);
        assertThat(firing).as("alerts with a test case where they fire").containsExactlyInAnyOrderElementsOf(ALERTS);
        assertThat(quiet).as("alerts with a test case where they stay quiet").containsExactlyInAnyOrderElementsOf(ALERTS);
    }

    @Test
    void everyAlertHasASeverityASummaryADescriptionAndItsRunbookSection() {
        for (Map<String, Object> rule : MonitoringFiles.ruleList()) {
            String alert = (String) rule.get("alert");
            @SuppressWarnings("unchecked")
            Map<String, Object> labels = (Map<String, Object>) rule.get("labels");
            @SuppressWarnings("unchecked")
            Map<String, Object> annotations = (Map<String, Object>) rule.get("annotations");

            assertThat(labels).as("labels of %s", alert).containsKey("severity");
            assertThat((String) annotations.get("summary")).as("summary of %s", alert).isNotBlank();
            assertThat((String) annotations.get("description")).as("description of %s", alert).isNotBlank();
            // GitHub's anchor of the README heading "### <AlertName>".
            assertThat(annotations.get("runbook_url")).as("runbook_url of %s", alert)
                    .isEqualTo(RUNBOOK + alert.toLowerCase(Locale.ROOT));
        }
    }

    @Test
    void fleetWideSeriesAreAggregatedWithMaxOrMinNeverSummed() {
        for (MonitoringFiles.Expression expression : MonitoringFiles.ruleExpressions()) {
            for (String series : FLEET_WIDE) {
                assertThat(PromQlNames.aggregationsAround(expression.promql(), series))
                        .as("aggregations around %s in %s", series, expression.where())
                        .allMatch(aggregation -> aggregation.equals("max") || aggregation.equals("min"));
            }
        }
    }

    private static List<String> alertNames() {
        return MonitoringFiles.ruleList().stream().map(rule -> (String) rule.get("alert")).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<String> ruleFilesOf(Map<String, Object> tests) {
        return (List<String>) tests.get("rule_files");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> alertRuleTests(Map<String, Object> tests) {
        return ((List<Map<String, Object>>) tests.get("tests")).stream()
                .flatMap(test -> ((List<Map<String, Object>>) test.get("alert_rule_test")).stream())
                .toList();
    }
}

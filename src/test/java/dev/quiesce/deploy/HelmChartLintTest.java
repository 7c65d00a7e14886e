package dev.quiesce.deploy;

import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code helm lint --strict} is clean for the defaults and every ci/ values file, and the values that would lose
 * jobs (more than one pod on the embedded H2 database) never render.
 */
class HelmChartLintTest {

    /**
     * The one message lint may print: Helm recommends an icon URL in Chart.yaml, and the project has no logo to
     * point at. It is an [INFO], not a [WARNING], so --strict passes with it.
     */
    private static final String ICON_RECOMMENDED = "[INFO] Chart.yaml: icon is recommended";

    @TempDir
    Path workDir;

    @Test
    void lintIsCleanForTheDefaultValues() {
        assertClean(QuiesceChart.lint(workDir), "default values");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.quiesce.deploy.QuiesceChart#ciValuesFiles")
    void lintIsCleanForEachCiValuesFile(Path valuesFile) {
        assertClean(QuiesceChart.lint(workDir, valuesFile), valuesFile.toString());
    }

    @Test
    void theCiValuesFilesCoverEmbeddedPostgresAndMonitoring() {
        assertThat(QuiesceChart.ciValuesFiles()).extracting(f -> f.getFileName().toString())
                .contains("embedded-values.yaml", "postgres-3-replicas-values.yaml", "monitoring-values.yaml");
    }

    @Test
    void lintFailsForThreeReplicasOnTheEmbeddedDatabase() throws IOException {
        Path values = Files.writeString(workDir.resolve("unsafe.yaml"), "replicaCount: 3\n");

        LintResult result = QuiesceChart.lint(workDir, values);

        assertThat(result.isFailed()).as("lint of replicaCount 3 without PostgreSQL").isTrue();
        assertThat(String.join("\n", result.getMessages()))
                .contains("[ERROR]").contains("/replicaCount").contains("/postgresql/enabled");
    }

    @Test
    void theSchemaRejectsThreeReplicasWithoutPostgresqlNamingBothWaysOut() {
        assertThatThrownBy(() -> QuiesceChart.render(Map.of("replicaCount", 3)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("schema")
                .hasMessageContaining("at '/postgresql/enabled': value must be true")
                .hasMessageContaining("at '/replicaCount': maximum: got 3, want 1");
    }

    @Test
    void theSchemaRejectsAnAutoscalerWithoutPostgresql() {
        assertThatThrownBy(() -> QuiesceChart.render(Map.of("autoscaling.enabled", true)))
                .hasMessageContaining("at '/postgresql/enabled': value must be true")
                .hasMessageContaining("at '/autoscaling/enabled': value must be false");
    }

    @Test
    void theSchemaAcceptsThreeReplicasOnPostgresql() {
        Manifests manifests = QuiesceChart.render(Map.of(), QuiesceChart.CI_VALUES.resolve("postgres-3-replicas-values.yaml"));

        assertThat(Manifests.at(manifests.deployment(), "spec.replicas")).isEqualTo(3);
    }

    /** `helm install --skip-schema-validation` still must not deploy it: the templates fail with the fix. */
    @Test
    void withoutTheSchemaTheTemplatesStillRefuseThreeReplicasOnTheEmbeddedDatabase() throws IOException {
        Path chart = QuiesceChart.copy(workDir);
        Files.delete(chart.resolve("values.schema.json"));

        assertThatThrownBy(() -> QuiesceChart.template(chart, Map.of("replicaCount", 3)))
                .hasMessageContaining("replicaCount: 3 needs PostgreSQL")
                .hasMessageContaining("Set postgresql.enabled=true and postgresql.url");
        assertThatThrownBy(() -> QuiesceChart.template(chart, Map.of("autoscaling.enabled", true)))
                .hasMessageContaining("autoscaling.enabled needs PostgreSQL");
        assertThatThrownBy(() -> QuiesceChart.template(chart, Map.of("postgresql.enabled", true)))
                .hasMessageContaining("postgresql.enabled needs postgresql.url");
    }

    @Test
    void aTypoInTheValuesIsAnErrorNotIgnored() {
        assertThatThrownBy(() -> QuiesceChart.render(Map.of("shutdown.drainSecond", 40)))
                .hasMessageContaining("additional properties 'drainSecond' not allowed");
    }

    @Test
    void extraEnvCannotOverrideTheComputedBudget() {
        assertThatThrownBy(() -> QuiesceChart.render(Map.of(
                "extraEnv[0].name", "QUIESCE_SHUTDOWN_GRACEPERIOD", "extraEnv[0].value", "600s")))
                .hasMessageContaining("/extraEnv/0/name");
    }

    @Test
    void persistenceIsRefusedBesidePostgresql() {
        assertThatThrownBy(() -> QuiesceChart.render(Map.of("persistence.enabled", true),
                QuiesceChart.CI_VALUES.resolve("postgres-3-replicas-values.yaml")))
                .hasMessageContaining("/persistence/enabled");
    }

    private static void assertClean(LintResult result, String what) {
        List<String> messages = result.getMessages();
        assertThat(result.isFailed()).as("helm lint --strict of %s failed: %s", what, messages).isFalse();
        assertThat(messages).as("helm lint of %s", what)
                .noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"))
                .allMatch(m -> m.isBlank() || m.equals(ICON_RECOMMENDED));
    }
}

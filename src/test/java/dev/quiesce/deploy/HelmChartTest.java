package dev.quiesce.deploy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.quiesce.deploy.Manifests.at;
import static dev.quiesce.deploy.Manifests.listOfMaps;
import static dev.quiesce.deploy.Manifests.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** What {@code helm template} renders: the pod spec, the budget, the Services, secrets and monitoring objects. */
class HelmChartTest {

    private static final Map<String, Object> BUDGET_5_40_7_6_3 = Map.of(
            "shutdown.preStopSeconds", 5, "shutdown.drainSeconds", 40, "shutdown.cancelGraceSeconds", 7,
            "shutdown.childStopTimeoutSeconds", 6, "shutdown.marginSeconds", 3);

    private final Manifests defaults = QuiesceChart.render(Map.of());

    @Test
    void theGracePeriodIsTheSumOfTheBudgetAndTheServiceGetsTheSameNumbers() {
        Manifests manifests = QuiesceChart.render(BUDGET_5_40_7_6_3);

        assertThat(at(manifests.podSpec(), "terminationGracePeriodSeconds")).isEqualTo(61);
        assertThat(manifests.env()).contains(
                entry("QUIESCE_SHUTDOWN_GRACEPERIOD", "61s"),
                entry("QUIESCE_SHUTDOWN_PRESTOP", "5s"),
                entry("QUIESCE_SHUTDOWN_DRAINTIMEOUT", "40s"),
                entry("QUIESCE_SHUTDOWN_CANCELGRACE", "7s"),
                entry("QUIESCE_SHUTDOWN_CHILDSTOPTIMEOUT", "6s"),
                entry("QUIESCE_SHUTDOWN_MARGIN", "3s"));
        assertThat(at(manifests.container(), "lifecycle.preStop.sleep.seconds")).isEqualTo(5);
    }

    @Test
    void theDefaultBudgetAddsUpToo() {
        Map<String, String> env = defaults.env();
        int sum = seconds(env, "QUIESCE_SHUTDOWN_PRESTOP") + seconds(env, "QUIESCE_SHUTDOWN_DRAINTIMEOUT")
                + seconds(env, "QUIESCE_SHUTDOWN_CANCELGRACE") + seconds(env, "QUIESCE_SHUTDOWN_CHILDSTOPTIMEOUT")
                + seconds(env, "QUIESCE_SHUTDOWN_MARGIN");

        assertThat(at(defaults.podSpec(), "terminationGracePeriodSeconds")).isEqualTo(sum).isEqualTo(40);
        assertThat(seconds(env, "QUIESCE_SHUTDOWN_GRACEPERIOD")).isEqualTo(sum);
    }

    @Test
    void preStopIsTheNativeSleepActionByDefault() {
        assertThat(map(defaults.container(), "lifecycle.preStop")).containsOnlyKeys("sleep");
        assertThat(at(defaults.container(), "lifecycle.preStop.sleep.seconds")).isEqualTo(5);
    }

    @Test
    void olderClustersGetAnExecSleepOfTheSameLength() {
        Manifests manifests = QuiesceChart.render(Map.of("shutdown.preStopAction", "exec", "shutdown.preStopSeconds", 8));

        assertThat(map(manifests.container(), "lifecycle.preStop")).containsOnlyKeys("exec");
        assertThat(at(manifests.container(), "lifecycle.preStop.exec.command")).isEqualTo(List.of("sleep", "8"));
        assertThat(manifests.env()).containsEntry("QUIESCE_SHUTDOWN_PRESTOP", "8s");
    }

    @Test
    void noPreStopSecondsMeansNoPreStopHookAndNothingOfTheBudgetSpentOnIt() {
        Manifests manifests = QuiesceChart.render(Map.of("shutdown.preStopSeconds", 0));

        assertThat(manifests.container()).doesNotContainKey("lifecycle");
        assertThat(manifests.env()).containsEntry("QUIESCE_SHUTDOWN_PRESTOP", "0s").containsEntry("QUIESCE_SHUTDOWN_GRACEPERIOD", "35s");
        assertThat(at(manifests.podSpec(), "terminationGracePeriodSeconds")).isEqualTo(35);
    }

    @Test
    void probesAskTheActuatorOnTheManagementPort() {
        Map<String, Object> container = defaults.container();

        assertThat(at(container, "startupProbe.httpGet.path")).isEqualTo("/actuator/health/readiness");
        assertThat(at(container, "readinessProbe.httpGet.path")).isEqualTo("/actuator/health/readiness");
        assertThat(at(container, "livenessProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            assertThat(at(container, probe + ".httpGet.port")).as(probe).isEqualTo("management");
        }
        assertThat(listOfMaps(container, "ports")).anySatisfy(port -> assertThat(port)
                .containsEntry("name", "management").containsEntry("containerPort", 8081));
    }

    @Test
    void theTerminationMessageIsWrittenWhereTheKubeletReadsIt() {
        assertThat(at(defaults.container(), "terminationMessagePath")).isEqualTo("/dev/termination-log");
        assertThat(defaults.env()).containsEntry("QUIESCE_SHUTDOWN_TERMINATIONMESSAGEPATH", "/dev/termination-log");
        assertThat(at(defaults.container(), "terminationMessagePolicy")).isEqualTo("FallbackToLogsOnError");

        Manifests moved = QuiesceChart.render(Map.of("shutdown.terminationMessagePath", "/dev/quiesce-report"));
        assertThat(at(moved.container(), "terminationMessagePath")).isEqualTo("/dev/quiesce-report");
        assertThat(moved.env()).containsEntry("QUIESCE_SHUTDOWN_TERMINATIONMESSAGEPATH", "/dev/quiesce-report");
    }

    @Test
    void thePodRunsAsTheImagesNonRootUserWithNothingToEscalate() {
        assertThat(map(defaults.podSpec(), "securityContext")).containsEntry("runAsNonRoot", true)
                .containsEntry("runAsUser", 10001).containsEntry("runAsGroup", 10001).containsEntry("fsGroup", 10001);
        assertThat(at(defaults.podSpec(), "securityContext.seccompProfile.type")).isEqualTo("RuntimeDefault");

        Map<String, Object> container = map(defaults.container(), "securityContext");
        assertThat(container).containsEntry("readOnlyRootFilesystem", true).containsEntry("allowPrivilegeEscalation", false);
        assertThat(at(container, "capabilities.drop")).isEqualTo(List.of("ALL"));
        assertThat(at(container, "seccompProfile.type")).isEqualTo("RuntimeDefault");

        Manifests otherUser = QuiesceChart.render(Map.of("image.uid", 20002));
        assertThat(map(otherUser.podSpec(), "securityContext"))
                .containsEntry("runAsUser", 20002).containsEntry("runAsGroup", 20002).containsEntry("fsGroup", 20002);
    }

    @Test
    void onlyTmpAndTheDataDirectoryAreWritable() {
        assertThat(listOfMaps(defaults.container(), "volumeMounts")).extracting(m -> m.get("name") + ":" + m.get("mountPath"))
                .containsExactlyInAnyOrder("data:/data", "tmp:/tmp");
        assertThat(listOfMaps(defaults.podSpec(), "volumes")).allSatisfy(v -> assertThat(v).containsKey("emptyDir"));
        assertThat(defaults.env()).containsEntry("QUIESCE_DATADIR", "/data");
    }

    @Test
    void pluginJarsComeFromAnImageThroughAnInitContainerOrFromAVolumeAndAreMountedReadOnly() {
        assertThat(defaults.podSpec()).doesNotContainKey("initContainers");
        assertThat(defaults.env()).doesNotContainKey("QUIESCE_PLUGINS_DIR");

        Manifests fromImage = QuiesceChart.render(Map.of("plugins.image", "registry.example/acme/jobs:1.2", "plugins.path", "/jars/"));
        Map<String, Object> init = listOfMaps(fromImage.podSpec(), "initContainers").getFirst();
        assertThat(init).containsEntry("image", "registry.example/acme/jobs:1.2")
                .containsEntry("command", List.of("sh", "-c", "cp /jars/*.jar /quiesce-plugins/"));
        assertThat(map(init, "securityContext")).containsEntry("readOnlyRootFilesystem", true);
        assertThat(listOfMaps(fromImage.container(), "volumeMounts")).anySatisfy(m -> assertThat(m)
                .containsEntry("name", "plugins").containsEntry("mountPath", "/app/plugins").containsEntry("readOnly", true));
        assertThat(listOfMaps(fromImage.podSpec(), "volumes")).anySatisfy(v -> assertThat(v)
                .containsEntry("name", "plugins").containsKey("emptyDir"));
        assertThat(fromImage.env()).containsEntry("QUIESCE_PLUGINS_DIR", "/app/plugins");

        Manifests fromVolume = QuiesceChart.render(Map.of("plugins.volume.persistentVolumeClaim.claimName", "acme-jobs"));
        assertThat(fromVolume.podSpec()).doesNotContainKey("initContainers");
        assertThat(listOfMaps(fromVolume.podSpec(), "volumes")).anySatisfy(v -> assertThat(v)
                .containsEntry("name", "plugins").extracting(d -> at(d, "persistentVolumeClaim.claimName")).isEqualTo("acme-jobs"));
        assertThat(fromVolume.env()).containsEntry("QUIESCE_PLUGINS_DIR", "/app/plugins");
    }

    @Test
    void theEmbeddedDatabaseCanLiveOnAClaimAndIsReplacedNotRolled() {
        Manifests manifests = QuiesceChart.render(Map.of(), QuiesceChart.CI_VALUES.resolve("embedded-values.yaml"));

        assertThat(at(manifests.one("PersistentVolumeClaim"), "metadata.name")).isEqualTo("demo-quiesce-data");
        assertThat(listOfMaps(manifests.podSpec(), "volumes")).anySatisfy(v -> assertThat(v)
                .containsEntry("name", "data")
                .extracting(d -> at(d, "persistentVolumeClaim.claimName")).isEqualTo("demo-quiesce-data"));
        assertThat(at(manifests.deployment(), "spec.strategy.type")).isEqualTo("Recreate");
        assertThat(at(defaults.deployment(), "spec.strategy.type")).isEqualTo("Recreate");
        assertThat(manifests.env()).doesNotContainKeys("SPRING_DATASOURCE_URL");
    }

    @Test
    void theContainerRunsTheImagesEntrypoint() {
        assertThat(defaults.container()).doesNotContainKeys("command", "args");
        assertThat(defaults.container()).containsEntry("image", "quiesce:0.1.0");
    }

    @Test
    void everyObjectCarriesTheRecommendedLabels() {
        Manifests manifests = QuiesceChart.render(Map.of("apiToken", "t", "ingress.enabled", true),
                QuiesceChart.CI_VALUES.resolve("monitoring-values.yaml"));

        assertThat(manifests.has("Ingress")).isTrue();
        List<Object> labelled = new ArrayList<>(manifests.objects());
        labelled.add(map(manifests.deployment(), "spec.template"));
        assertThat(labelled).allSatisfy(object -> assertThat(map(object, "metadata.labels"))
                .containsEntry("app.kubernetes.io/name", "quiesce")
                .containsEntry("app.kubernetes.io/instance", QuiesceChart.RELEASE)
                .containsEntry("app.kubernetes.io/version", "0.1.0")
                .containsEntry("app.kubernetes.io/component", "worker")
                .containsEntry("app.kubernetes.io/part-of", "quiesce")
                .containsEntry("app.kubernetes.io/managed-by", "Helm")
                .containsEntry("helm.sh/chart", "quiesce-0.1.0"));
        assertThat(map(manifests.deployment(), "spec.template.metadata.labels"))
                .containsAllEntriesOf(stringMap(map(manifests.deployment(), "spec.selector.matchLabels")));
    }

    @Test
    void noServiceAccountTokenIsMounted() {
        assertThat(defaults.one("ServiceAccount")).containsEntry("automountServiceAccountToken", false);
        assertThat(defaults.podSpec()).containsEntry("automountServiceAccountToken", false)
                .containsEntry("serviceAccountName", QuiesceChart.FULLNAME);
    }

    @Test
    void theServiceCarriesTheApiPortOnlyAndNothingRoutesToTheManagementPort() {
        Map<String, Object> service = defaults.one("Service");

        assertThat(listOfMaps(service, "spec.ports")).singleElement().satisfies(port -> assertThat(port)
                .containsEntry("name", "http").containsEntry("port", 8080).containsEntry("targetPort", "http"));
        assertThat(listOfMaps(defaults.container(), "ports")).anySatisfy(port -> assertThat(port)
                .containsEntry("name", "http").containsEntry("containerPort", 8080));
        assertThat(defaults.has("Ingress")).isFalse();
    }

    @Test
    void prometheusScrapesTheManagementPortThroughASeparateHeadlessService() {
        Manifests manifests = QuiesceChart.render(Map.of(), QuiesceChart.CI_VALUES.resolve("monitoring-values.yaml"));

        Map<String, Object> api = manifests.named("Service", QuiesceChart.FULLNAME);
        assertThat(listOfMaps(api, "spec.ports")).extracting(p -> p.get("name")).containsExactly("http");
        Map<String, Object> management = manifests.named("Service", QuiesceChart.FULLNAME + "-management");
        assertThat(at(management, "spec.clusterIP")).isEqualTo("None");
        assertThat(listOfMaps(management, "spec.ports")).singleElement().satisfies(port -> assertThat(port)
                .containsEntry("name", "management").containsEntry("targetPort", "management"));

        Map<String, Object> monitor = manifests.one("ServiceMonitor");
        assertThat(listOfMaps(monitor, "spec.endpoints")).singleElement().satisfies(endpoint -> assertThat(endpoint)
                .containsEntry("port", "management").containsEntry("path", "/actuator/prometheus"));
        // The monitor selects the management Service only: the API Service lacks the distinguishing label.
        Map<String, String> selector = stringMap(map(monitor, "spec.selector.matchLabels"));
        assertThat(stringMap(map(management, "metadata.labels"))).containsAllEntriesOf(selector);
        assertThat(stringMap(map(api, "metadata.labels"))).doesNotContainEntry("quiesce.dev/port", "management");
        assertThat(selector).containsEntry("quiesce.dev/port", "management");
    }

    @Test
    void monitoringObjectsAreAbsentByDefault() {
        assertThat(defaults.has("ServiceMonitor")).isFalse();
        assertThat(defaults.has("PrometheusRule")).isFalse();
        assertThat(defaults.has("ConfigMap")).isFalse();
        assertThat(defaults.ofKind("Service")).hasSize(1);
    }

    @Test
    void enabledMonitoringCarriesTheReleaseLabelKubePrometheusStackSelectsBy() {
        Manifests manifests = QuiesceChart.render(Map.of(), QuiesceChart.CI_VALUES.resolve("monitoring-values.yaml"));

        assertThat(map(manifests.one("ServiceMonitor"), "metadata.labels")).containsEntry("release", "kube-prometheus-stack");
        assertThat(map(manifests.one("PrometheusRule"), "metadata.labels")).containsEntry("release", "kube-prometheus-stack");

        Manifests renamed = QuiesceChart.render(Map.of("monitoring.release", "prom"), QuiesceChart.CI_VALUES.resolve("monitoring-values.yaml"));
        assertThat(map(renamed.one("ServiceMonitor"), "metadata.labels")).containsEntry("release", "prom");
        assertThat(map(renamed.one("PrometheusRule"), "metadata.labels")).containsEntry("release", "prom");
    }

    @Test
    void thePrometheusRuleHoldsTheRulesFileGroupsAsTheyAre() {
        Manifests manifests = QuiesceChart.render(Map.of("monitoring.prometheusRule.enabled", true));

        Map<String, Object> rulesFile = QuiesceChart.load(QuiesceChart.DIR.resolve("files/quiesce-alerts.rules.yml"));
        assertThat(rulesFile).containsKey("groups");
        assertThat(map(manifests.one("PrometheusRule"), "spec")).isEqualTo(rulesFile);
    }

    @Test
    void theDashboardConfigMapHoldsTheDashboardFileForGrafanasSidecar() throws IOException {
        Manifests manifests = QuiesceChart.render(Map.of("monitoring.dashboard.enabled", true));

        Map<String, Object> configMap = manifests.one("ConfigMap");
        assertThat(map(configMap, "metadata.labels")).containsEntry("grafana_dashboard", "1");
        JsonMapper json = JsonMapper.builder().build();
        JsonNode file = json.readTree(Files.readString(QuiesceChart.DIR.resolve("files/grafana-dashboard.json")));
        assertThat(json.readTree((String) map(configMap, "data").get("quiesce.json"))).isEqualTo(file);

        // A sidecar configured with another label value; a number given with --set still renders as a string.
        Manifests relabelled = QuiesceChart.render(Map.of("monitoring.dashboard.enabled", true,
                "monitoring.dashboard.labels.grafana_dashboard", 2));
        assertThat(map(relabelled.one("ConfigMap"), "metadata.labels")).containsEntry("grafana_dashboard", "2");
    }

    @Test
    void anApiTokenGoesThroughTheChartsSecret() {
        assertThat(defaults.has("Secret")).isFalse();
        assertThat(defaults.secretEnv()).isEmpty();

        Manifests manifests = QuiesceChart.render(Map.of("apiToken", "s3cret"));
        Map<String, Object> secret = manifests.one("Secret");
        assertThat(new String(Base64.getDecoder().decode((String) at(secret, "data.api-token")))).isEqualTo("s3cret");
        assertThat(manifests.secretEnv()).containsExactly(entry("QUIESCE_API_TOKEN", QuiesceChart.FULLNAME + "/api-token"));
        assertThat(manifests.env()).doesNotContainKey("QUIESCE_API_TOKEN");
        assertThat(map(manifests.deployment(), "spec.template.metadata.annotations")).containsKey("checksum/secret");
    }

    @Test
    void postgresqlReplicasReadTheirCredentialsFromTheExistingSecretAndRollOneAtATime() {
        Manifests manifests = QuiesceChart.render(Map.of(), QuiesceChart.CI_VALUES.resolve("postgres-3-replicas-values.yaml"));

        assertThat(manifests.has("Secret")).isFalse();
        assertThat(manifests.env()).containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://postgres.db.svc:5432/quiesce");
        assertThat(manifests.secretEnv()).containsOnly(
                entry("QUIESCE_API_TOKEN", "quiesce-credentials/api-token"),
                entry("QUIESCE_API_READ_TOKEN", "quiesce-credentials/api-read-token"),
                entry("SPRING_DATASOURCE_USERNAME", "quiesce-credentials/postgresql-username"),
                entry("SPRING_DATASOURCE_PASSWORD", "quiesce-credentials/postgresql-password"));
        assertThat(at(manifests.deployment(), "spec.strategy.type")).isEqualTo("RollingUpdate");
        assertThat(at(manifests.deployment(), "spec.strategy.rollingUpdate.maxUnavailable")).isEqualTo(0);
        assertThat(at(manifests.one("PodDisruptionBudget"), "spec.maxUnavailable")).isEqualTo(1);
    }

    @Test
    void anAutoscalerOwnsTheReplicaCount() {
        Manifests manifests = QuiesceChart.render(Map.of("autoscaling.enabled", true),
                QuiesceChart.CI_VALUES.resolve("postgres-3-replicas-values.yaml"));

        assertThat(map(manifests.deployment(), "spec")).doesNotContainKey("replicas");
        assertThat(at(manifests.one("HorizontalPodAutoscaler"), "spec.scaleTargetRef.name")).isEqualTo(QuiesceChart.FULLNAME);
    }

    private static int seconds(Map<String, String> env, String name) {
        String value = env.get(name);
        assertThat(value).as(name).matches("\\d+s");
        return Integer.parseInt(value.substring(0, value.length() - 1));
    }

    private static Map<String, String> stringMap(Map<String, Object> map) {
        Map<String, String> strings = new LinkedHashMap<>();
        map.forEach((k, v) -> strings.put(k, String.valueOf(v)));
        return strings;
    }
}

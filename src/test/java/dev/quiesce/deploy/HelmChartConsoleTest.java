package dev.quiesce.deploy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.quiesce.deploy.Manifests.at;
import static dev.quiesce.deploy.Manifests.listOfMaps;
import static dev.quiesce.deploy.Manifests.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/**
 * How the chart exposes the console (served by the service under /console on the API port): the optional Ingress,
 * the read-only login kept beside the API token, the switch that turns the console off, the log format, and the
 * install notes that say where to open it. Environment names are bound the way Spring binds a container's.
 */
class HelmChartConsoleTest {

    private static final Path CONSOLE_INGRESS = QuiesceChart.CI_VALUES.resolve("console-ingress-values.yaml");
    private static final Path POSTGRES = QuiesceChart.CI_VALUES.resolve("postgres-3-replicas-values.yaml");

    private final Manifests defaults = QuiesceChart.render(Map.of());

    @Test
    void theConsoleIsOnByDefaultOnTheApiServicesPortWithNoIngress() {
        assertThat(listOfMaps(defaults.one("Service"), "spec.ports")).singleElement().satisfies(port -> assertThat(port)
                .containsEntry("name", "http").containsEntry("port", 8080).containsEntry("targetPort", "http"));
        assertThat(defaults.env()).doesNotContainKeys("QUIESCE_CONSOLE_ENABLED", "LOGGING_STRUCTURED_FORMAT_CONSOLE");
        assertThat(defaults.has("Ingress")).isFalse();
    }

    @Test
    void consoleEnabledFalseStartsTheServiceWithTheConsoleOff() {
        Manifests manifests = QuiesceChart.render(Map.of("console.enabled", false));

        assertThat(manifests.env()).containsEntry("QUIESCE_CONSOLE_ENABLED", "false");
        assertThat(bind(manifests.env(), "quiesce.console.enabled", Boolean.class)).isFalse();
    }

    @Test
    void anIngressRoutesItsHostAndPathToTheApiServicesHttpPortWithTls() {
        Manifests manifests = QuiesceChart.render(Map.of(), CONSOLE_INGRESS);

        Map<String, Object> ingress = manifests.one("Ingress");
        assertThat(ingress).containsEntry("apiVersion", "networking.k8s.io/v1");
        assertThat(at(ingress, "metadata.name")).isEqualTo(QuiesceChart.FULLNAME);
        assertThat(map(ingress, "metadata.annotations")).containsEntry("cert-manager.io/cluster-issuer", "letsencrypt");
        assertThat(at(ingress, "spec.ingressClassName")).isEqualTo("nginx");
        assertThat(listOfMaps(ingress, "spec.rules")).singleElement().satisfies(rule -> {
            assertThat(rule).containsEntry("host", "quiesce.example.com");
            assertThat(listOfMaps(rule, "http.paths")).singleElement().satisfies(path -> {
                assertThat(path).containsEntry("path", "/").containsEntry("pathType", "Prefix");
                assertThat(at(path, "backend.service.name")).isEqualTo(QuiesceChart.FULLNAME);
                assertThat(at(path, "backend.service.port.name")).isEqualTo("http");
            });
        });
        assertThat(listOfMaps(ingress, "spec.tls")).singleElement().satisfies(tls -> assertThat(tls)
                .containsEntry("secretName", "quiesce-tls").containsEntry("hosts", List.of("quiesce.example.com")));
        // The backend exists: the API Service by that name, with a port named http (never the management port).
        assertThat(listOfMaps(manifests.named("Service", QuiesceChart.FULLNAME), "spec.ports"))
                .extracting(p -> p.get("name")).containsExactly("http");
    }

    @Test
    void anIngressWithTheDefaultHostMatchesEveryHostNameAndHasNoTls() {
        Map<String, Object> ingress = QuiesceChart.render(Map.of("ingress.enabled", true)).one("Ingress");

        assertThat(listOfMaps(ingress, "spec.rules")).singleElement().satisfies(rule -> {
            assertThat(rule).doesNotContainKey("host");
            assertThat(at(rule, "http.paths[0].path")).isEqualTo("/");
            assertThat(at(rule, "http.paths[0].backend.service.port.name")).isEqualTo("http");
        });
        assertThat(map(ingress, "spec")).doesNotContainKeys("tls", "ingressClassName");
    }

    @Test
    void theSchemaRefusesAnIngressPathThatIsNotAbsolute() {
        assertThatThrownBy(() -> QuiesceChart.render(Map.of("ingress.enabled", true,
                "ingress.hosts[0].host", "q.example.com", "ingress.hosts[0].paths[0].path", "console")))
                .hasMessageContaining("/ingress/hosts/0/paths/0/path");
    }

    @Test
    void aReadTokenGoesThroughTheChartsSecretBesideTheApiToken() {
        Manifests manifests = QuiesceChart.render(Map.of("apiToken", "write", "readToken", "look"));

        Map<String, Object> secret = manifests.one("Secret");
        assertThat(new String(Base64.getDecoder().decode((String) at(secret, "data.api-read-token")))).isEqualTo("look");
        assertThat(manifests.secretEnv()).containsOnly(
                entry("QUIESCE_API_TOKEN", QuiesceChart.FULLNAME + "/api-token"),
                entry("QUIESCE_API_READ_TOKEN", QuiesceChart.FULLNAME + "/api-read-token"));
        assertThat(manifests.env()).doesNotContainKeys("QUIESCE_API_TOKEN", "QUIESCE_API_READ_TOKEN");
        assertThat(bind(Map.of("QUIESCE_API_READ_TOKEN", "look"), "quiesce.api.read-token", String.class)).isEqualTo("look");
    }

    @Test
    void anExistingSecretMayHoldAReadTokenWhichIsOptional() {
        Manifests manifests = QuiesceChart.render(Map.of(), POSTGRES);

        assertThat(manifests.secretEnv()).containsEntry("QUIESCE_API_READ_TOKEN", "quiesce-credentials/api-read-token");
        Map<String, Object> readToken = listOfMaps(manifests.container(), "env").stream()
                .filter(v -> "QUIESCE_API_READ_TOKEN".equals(v.get("name"))).findFirst().orElseThrow();
        assertThat(at(readToken, "valueFrom.secretKeyRef.optional")).isEqualTo(true);

        Manifests noReadKey = QuiesceChart.render(Map.of("secretKeys.readToken", ""), POSTGRES);
        assertThat(noReadKey.secretEnv()).doesNotContainKey("QUIESCE_API_READ_TOKEN").containsKey("QUIESCE_API_TOKEN");
    }

    @Test
    void aReadTokenNeedsAnApiTokenOfItsOwn() {
        assertThat(QuiesceChart.render(Map.of()).secretEnv()).isEmpty();
        assertThatThrownBy(() -> QuiesceChart.render(Map.of("readToken", "look")))
                .hasMessageContaining("readToken needs apiToken");
        assertThatThrownBy(() -> QuiesceChart.render(Map.of("apiToken", "same", "readToken", "same")))
                .hasMessageContaining("readToken equals apiToken");
        assertThatThrownBy(() -> QuiesceChart.render(Map.of("readToken", "look"), POSTGRES))
                .hasMessageContaining("existingSecret replaces apiToken, readToken");
    }

    @Test
    void aStructuredLogFormatReachesSpringBootsOwnSetting() {
        Manifests manifests = QuiesceChart.render(Map.of(), CONSOLE_INGRESS);

        assertThat(manifests.env()).containsEntry("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs");
        assertThat(bind(manifests.env(), "logging.structured.format.console", String.class)).isEqualTo("ecs");
        for (String format : List.of("logstash", "gelf")) {
            assertThat(QuiesceChart.render(Map.of("logging.format", format)).env())
                    .containsEntry("LOGGING_STRUCTURED_FORMAT_CONSOLE", format);
        }
        assertThatThrownBy(() -> QuiesceChart.render(Map.of("logging.format", "json")))
                .hasMessageContaining("/logging/format");
    }

    @Test
    void theInstallNotesSayWhereToOpenTheConsole() {
        String local = QuiesceChart.notes(Map.of());
        assertThat(local)
                .contains("kubectl -n work port-forward svc/demo-quiesce 8080:8080")
                .contains("http://localhost:8080/console   (through the port-forward above")
                .contains("the console, like /jobs, is open");

        String ingress = QuiesceChart.notes(Map.of(), CONSOLE_INGRESS);
        assertThat(ingress)
                .contains("https://quiesce.example.com/console")
                .contains("or the read-only token")
                .contains("kubectl -n work get secret demo-quiesce -o jsonpath='{.data.api-token}' | base64 -d");

        assertThat(QuiesceChart.notes(Map.of("console.enabled", false)))
                .contains("The console is off").doesNotContain("localhost:8080/console");
    }

    /** One property out of the container's environment, as Spring Boot binds it (relaxed names included). */
    private static <T> T bind(Map<String, String> env, String property, Class<T> type) {
        SystemEnvironmentPropertySource source = new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new HashMap<>(env));
        return new Binder(ConfigurationPropertySources.from(source)).bind(property, type)
                .orElseThrow(() -> new AssertionError(property + " is not bound from " + env.keySet()));
    }
}

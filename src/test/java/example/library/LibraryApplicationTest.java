package example.library;

import dev.quiesce.api.InvalidJobException;
import dev.quiesce.api.JobState;
import dev.quiesce.api.JobStatus;
import dev.quiesce.api.Jobs;
import dev.quiesce.testing.TestContexts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Quiesce as a library, in this JVM: an application outside {@code dev.quiesce} gets the whole service from the
 * auto-configuration — its own handler, the HTTP API with problem+json, the actuator on its own port — with Quiesce's
 * defaults under the application's properties. (The process test with the example project runs it as a fat jar.)
 */
class LibraryApplicationTest {

    @TempDir
    Path dataDir;

    @Test
    void theApplicationsOwnHandlerRunsInTheAutoConfiguredService() throws Exception {
        try (ConfigurableApplicationContext context = TestContexts.start(Map.of(
                "server.port", 0, "management.server.port", 0, "quiesce.data-dir", dataDir,
                "quiesce.children.size", 0, "quiesce.worker.poll-interval", "100ms"), LibraryApplication.class)) {
            Jobs jobs = context.getBean(Jobs.class);

            JobStatus job = jobs.enqueue("shout", new LibraryApplication.Shout("quiet"));
            await().atMost(Duration.ofSeconds(30)).until(() -> jobs.find(job.id()).orElseThrow().state() == JobState.SUCCEEDED);
            assertThat(jobs.find(job.id()).orElseThrow().result()).isEqualTo("QUIET");
            assertThatThrownBy(() -> jobs.enqueue("shout", Map.of("word", "")))
                    .isInstanceOf(InvalidJobException.class).hasMessage("payload.word: must not be blank");

            int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
            int management = context.getEnvironment().getRequiredProperty("local.management.port", Integer.class);
            assertThat(management).as("the defaults' separate management port").isNotEqualTo(port);
            try (HttpClient client = HttpClient.newHttpClient()) {
                HttpResponse<String> bad = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/jobs"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"type\": \"shout\", \"payload\": {\"word\": 1}}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(bad.statusCode()).isEqualTo(400);
                assertThat(bad.body()).contains("payload.word: must be a string");
                HttpResponse<String> health = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + management + "/actuator/health/readiness")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
            }
        }
    }
}

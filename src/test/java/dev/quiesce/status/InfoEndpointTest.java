package dev.quiesce.status;

import dev.quiesce.QuiesceApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /actuator/info} says which build is running: its version (build-info.properties) and its commit
 * (git.properties), both written by the Maven build; open without the token, like the probes.
 */
@SpringBootTest(classes = QuiesceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "management.server.port=0",
                "quiesce.children.size=0",
                "quiesce.api.token=s3cret-token"})
@DirtiesContext
class InfoEndpointTest {

    @DynamicPropertySource
    static void dataDirectory(DynamicPropertyRegistry registry) throws IOException {
        String dir = Files.createTempDirectory("quiesce-info-").toString();
        registry.add("quiesce.data-dir", () -> dir);
    }

    @LocalManagementPort
    int managementPort;

    @Test
    void infoShowsTheBuildVersionAndTheGitCommitWithoutAToken() {
        ManagementHttp.Answer answer = new ManagementHttp(managementPort).get("/actuator/info");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode info = answer.json();
        assertThat(info.path("build").path("version").asString()).as(answer.body()).isNotBlank();
        assertThat(info.path("build").path("artifact").asString()).isEqualTo("quiesce");
        assertThat(info.path("git").path("commit").path("id").asString()).as(answer.body()).matches("[0-9a-f]{7,40}");
        assertThat(info.path("quiesce").path("jobTypes").path("sleep").path("payload").asString())
                .isEqualTo("tools.jackson.databind.JsonNode");
        assertThat(info.path("quiesce").path("plugins").isArray()).as(answer.body()).isTrue();
    }
}

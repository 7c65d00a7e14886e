package dev.quiesce.console;

import dev.quiesce.QuiesceApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code quiesce.console.enabled=false}: no console page answers; the JSON API does. */
@SpringBootTest(classes = QuiesceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.server.port=0", "quiesce.children.size=0", "quiesce.console.enabled=false"})
@DirtiesContext
class ConsoleDisabledTest {

    @DynamicPropertySource
    static void dataDirectory(DynamicPropertyRegistry registry) throws IOException {
        String dir = Files.createTempDirectory("quiesce-console-off-").toString();
        registry.add("quiesce.data-dir", () -> dir);
    }

    @LocalServerPort
    int port;

    @Test
    void theConsolesPagesAreNotServedAndTheApiIs() {
        ConsoleBrowser browser = new ConsoleBrowser(port);
        for (String path : new String[] {"/console", "/console/jobs", "/console/instances", "/console/shutdowns", "/console/login"}) {
            assertThat(browser.get(path).status()).as(path).isEqualTo(404);
        }
        assertThat(browser.get("/jobs").status()).isEqualTo(200);
        assertThat(browser.get("/instances").status()).isEqualTo(200);
    }
}

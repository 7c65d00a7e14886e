package dev.quiesce.status;

import dev.quiesce.QuiesceApplication;
import dev.quiesce.job.NewJob;
import dev.quiesce.queue.JobQueue;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The probes: a degraded child pool or an unreachable job queue takes the instance out of rotation (readiness
 * DOWN, 503) but never gets it restarted (liveness stays UP) — a restart would fix neither.
 */
@SpringBootTest(classes = QuiesceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "management.server.port=0",
                "quiesce.children.size=1",
                // The first crash degrades the pool.
                "quiesce.children.restart-intensity=0",
                "quiesce.worker.poll-interval=100ms"})
@DirtiesContext
class HealthGroupsTest {

    /** Only stops a hung test. */
    private static final Duration HANG_BOUND = Duration.ofSeconds(60);

    @DynamicPropertySource
    static void dataDirectory(DynamicPropertyRegistry registry) throws IOException {
        String dir = Files.createTempDirectory("quiesce-health-").toString();
        registry.add("quiesce.data-dir", () -> dir);
    }

    @LocalManagementPort
    int managementPort;
    @Autowired
    JobQueue queue;
    @Autowired
    JdbcClient sql;

    ManagementHttp management() {
        return new ManagementHttp(managementPort);
    }

    @Test
    void readinessIsMadeOfTheReadinessStateTheChildPoolAndTheQueueAndLivenessOfTheLivenessStateOnly() {
        ManagementHttp.Answer readiness = management().get("/actuator/health/readiness");
        ManagementHttp.Answer liveness = management().get("/actuator/health/liveness");

        assertThat(readiness.status()).as(readiness.body()).isEqualTo(200);
        assertThat(readiness.json().get("components").propertyNames())
                .containsExactlyInAnyOrder("readinessState", "childPool", "queue");
        assertThat(readiness.json().get("components").get("queue").get("details").get("dialect").asString()).isEqualTo("H2");
        assertThat(liveness.json().get("components").propertyNames()).containsExactly("livenessState");
    }

    @Test
    void aDegradedChildPoolTakesTheInstanceOutOfRotationUntilResumedAndLivenessStaysUp() {
        queue.enqueue(new NewJob("crash", "{}", 0, 1, null, null));
        try {
            await("readiness DOWN").atMost(HANG_BOUND).until(() -> management().get("/actuator/health/readiness").status() == 503);

            JsonNode readiness = management().get("/actuator/health/readiness").json();
            assertThat(readiness.get("status").asString()).isEqualTo("DOWN");
            assertThat(readiness.get("components").get("childPool").get("status").asString()).isEqualTo("DOWN");
            assertThat(readiness.get("components").get("queue").get("status").asString()).isEqualTo("UP");
            assertLivenessUp();
            assertThat(management().get("/actuator/quiesce").json().get("childPool").get("degraded").asBoolean()).isTrue();
        } finally {
            assertThat(management().post("/actuator/quiesce/resume").status()).isEqualTo(200);
        }
        assertThat(management().get("/actuator/quiesce").json().get("childPool").get("degraded").asBoolean())
                .as("resume clears degraded").isFalse();
        await("readiness UP again").atMost(HANG_BOUND).until(() -> management().get("/actuator/health/readiness").status() == 200);
    }

    @Test
    void anUnreachableQueueTakesTheInstanceOutOfRotationAndLivenessStaysUp() {
        sql.sql("ALTER TABLE jobs RENAME TO jobs_away").update();
        try {
            await("readiness DOWN").atMost(HANG_BOUND).until(() -> management().get("/actuator/health/readiness").status() == 503);

            JsonNode queueHealth = management().get("/actuator/health/readiness").json().get("components").get("queue");
            assertThat(queueHealth.get("status").asString()).isEqualTo("DOWN");
            assertThat(queueHealth.get("details").get("error").asString()).containsIgnoringCase("JOBS");
            assertLivenessUp();
        } finally {
            sql.sql("ALTER TABLE jobs_away RENAME TO jobs").update();
        }
        await("readiness UP again").atMost(HANG_BOUND).until(() -> management().get("/actuator/health/readiness").status() == 200);
    }

    private void assertLivenessUp() {
        ManagementHttp.Answer liveness = management().get("/actuator/health/liveness");
        assertThat(liveness.status()).as(liveness.body()).isEqualTo(200);
        assertThat(liveness.json().get("status").asString()).isEqualTo("UP");
    }
}

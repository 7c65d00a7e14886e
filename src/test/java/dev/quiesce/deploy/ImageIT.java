package dev.quiesce.deploy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.quiesce.testing.QuiesceApi;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.postgresql.PostgreSQLContainer;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image itself, where Docker runs (skipped here: no engine): built from the Dockerfile, started with the
 * chart's environment against PostgreSQL, stopped with {@code docker stop} while jobs run — the image's
 * STOPSIGNAL, then SIGKILL at the grace period, as the kubelet does. The same outcomes as
 * {@link PodSimulationIT}: it exits by itself in time, every job is terminal or QUEUED, and it reports
 * {@code clean}.
 */
@Testcontainers(disabledWithoutDocker = true)
class ImageIT {

    private static final Duration GRACE_PERIOD = ChartEnvironment.GRACE_PERIOD;
    /** Plain Docker has no writable /dev/termination-log for a non-root user (Kubernetes mounts one): /tmp is. */
    private static final String TERMINATION_MESSAGE = "/tmp/termination-log";
    /** Bounds that only stop a hung test: the first build downloads Maven and every dependency. */
    private static final Duration START_BOUND = Duration.ofMinutes(3);

    private static final Network NETWORK = Network.newNetwork();

    @Container
    private static final PostgreSQLContainer POSTGRES = new PostgreSQLContainer("postgres:17-alpine")
            .withNetwork(NETWORK)
            .withNetworkAliases("db");

    @Test
    void aStoppedContainerDrainsItsJobsIntoPostgresqlExitsInTimeAndReportsClean() throws Exception {
        Map<String, String> env = new LinkedHashMap<>(ChartEnvironment.variables("/data", TERMINATION_MESSAGE));
        env.put("QUIESCE_ROUTING_SHA256", "child");
        env.put("SPRING_DATASOURCE_URL", "jdbc:postgresql://db:5432/" + POSTGRES.getDatabaseName());
        env.put("SPRING_DATASOURCE_USERNAME", POSTGRES.getUsername());
        env.put("SPRING_DATASOURCE_PASSWORD", POSTGRES.getPassword());

        try (GenericContainer<?> quiesce = new GenericContainer<>(image())
                .withNetwork(NETWORK)
                .withEnv(env)
                .withExposedPorts(8080, 8081)
                .waitingFor(Wait.forHttp("/actuator/health/readiness").forPort(8081).forStatusCode(200))
                .withStartupTimeout(START_BOUND)) {
            quiesce.start();
            QuiesceApi api = new QuiesceApi(URI.create("http://" + quiesce.getHost() + ":" + quiesce.getMappedPort(8080)), null);
            List<Long> ids = PodLoad.startAndAwaitRunning(api, Duration.ofMillis(200));

            // docker stop: the image's STOPSIGNAL (SIGTERM) to PID 1, SIGKILL once the timeout is over.
            DockerClient docker = quiesce.getDockerClient();
            long stoppedAt = System.nanoTime();
            docker.stopContainerCmd(quiesce.getContainerId()).withTimeout((int) GRACE_PERIOD.toSeconds()).exec();
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedAt);
            InspectContainerResponse.ContainerState state = docker.inspectContainerCmd(quiesce.getContainerId()).exec()
                    .getState();
            String log = quiesce.getLogs();
            String terminationMessage = quiesce.copyFileFromContainer(TERMINATION_MESSAGE,
                    in -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
            String ledger = quiesce.copyFileFromContainer("/data/children.ledger",
                    in -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
            System.out.printf("IMAGE docker stop -> exit %s after %d ms (grace period %d s)%n", state.getExitCodeLong(),
                    tookMillis, GRACE_PERIOD.toSeconds());

            assertThat(state.getRunning()).as("running after docker stop").isFalse();
            assertThat(state.getExitCodeLong()).as("exit status: 0 (tini -e 143), not 137 (SIGKILLed at the timeout)")
                    .isZero();
            assertThat(Duration.ofMillis(tookMillis)).as("docker stop took").isLessThan(GRACE_PERIOD);
            assertThat(log).as("container log").contains("Shutdown clean:");
            assertThat(ledger).as("child JVMs still in the service's ledger when it exited").isBlank();
            assertThat(terminationMessage.lines().findFirst().orElse("")).as("first line of the termination message")
                    .startsWith("clean");
            assertJobsSettled(ids);
        }
    }

    /** Every job terminal or back in the queue, unowned and with its attempt refunded; the instance STOPPED. */
    private static void assertJobsSettled(List<Long> ids) throws SQLException {
        try (Connection connection = DriverManager.getConnection(POSTGRES.getJdbcUrl(), POSTGRES.getUsername(),
                POSTGRES.getPassword());
             Statement statement = connection.createStatement()) {
            List<Long> found = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery("SELECT id, state, owner, attempts FROM jobs ORDER BY id")) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    String state = rs.getString(2);
                    found.add(id);
                    assertThat(state).as("job %d", id).isIn("QUEUED", "SUCCEEDED", "FAILED", "CANCELLED");
                    if (state.equals("QUEUED")) {
                        assertThat(rs.getString(3)).as("owner of QUEUED job %d", id).isNull();
                        assertThat(rs.getInt(4)).as("attempts of QUEUED job %d", id).isZero();
                    }
                }
            }
            assertThat(found).as("jobs in PostgreSQL").containsExactlyElementsOf(ids);
            try (ResultSet rs = statement.executeQuery("SELECT state FROM workers")) {
                List<String> workers = new ArrayList<>();
                while (rs.next()) {
                    workers.add(rs.getString(1));
                }
                assertThat(workers).as("the instance's row after its stop").containsExactly("STOPPED");
            }
        }
    }

    /**
     * The image built from the project's Dockerfile, with exactly the build context its COPY instructions take
     * (what .dockerignore allows; Testcontainers sends the files it is given and does not read .dockerignore).
     */
    private static ImageFromDockerfile image() {
        ImageFromDockerfile image = new ImageFromDockerfile("localhost/quiesce-image-it", true)
                .withFileFromPath("Dockerfile", Dockerfile.PROJECT_FILE)
                .withFileFromPath(".dockerignore", Path.of(".dockerignore"));
        for (String source : Dockerfile.project().contextSources()) {
            String path = source.endsWith("/") ? source.substring(0, source.length() - 1) : source;
            image.withFileFromPath(path, Path.of(path));
        }
        return image;
    }
}

package dev.quiesce.shutdown;

import dev.quiesce.QuiesceApplication;
import dev.quiesce.testing.TestContexts;
import dev.quiesce.instance.InstanceIdentity;
import dev.quiesce.api.JobState;
import dev.quiesce.job.NewJob;
import dev.quiesce.queue.JobQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit phase inside a real context on H2, after every other phase: a lease this instance still holds that
 * the dispatcher never knew of (a claim whose answer was lost) is released and reported as a {@code job_lease}
 * leak, and the report reaches its three places.
 */
class ShutdownAuditTest {

    @TempDir
    Path dataDir;

    private ConfigurableApplicationContext start() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("server.port", 0);
        properties.put("management.server.port", 0);
        properties.put("quiesce.data-dir", dataDir.toString());
        properties.put("quiesce.children.size", 0);
        properties.put("quiesce.shutdown.grace-period", "6s");
        properties.put("quiesce.shutdown.cancel-grace", "1s");
        properties.put("quiesce.shutdown.child-stop-timeout", "1s");
        properties.put("quiesce.shutdown.margin", "1s");
        properties.put("quiesce.shutdown.termination-message-path", dataDir.resolve("termination-log").toString());
        return TestContexts.start(properties, QuiesceApplication.class);
    }

    @Test
    void aLeaseStillHeldAfterTheDrainIsReleasedByTheAuditAndReportedAsLeaky() throws IOException, SQLException {
        ConfigurableApplicationContext context = start();
        JobQueue queue = context.getBean(JobQueue.class);
        String self = context.getBean(InstanceIdentity.class).id();
        ShutdownReporter reporter = context.getBean(ShutdownReporter.class);
        long id = queue.enqueue(NewJob.of("no-such-runner", "{}")).job().id();
        assertThat(queue.claim(self, 1, Set.of("no-such-runner"))).hasSize(1);

        context.close();

        ShutdownReport report = reporter.lastReport();
        assertThat(report.outcome()).isEqualTo(ShutdownOutcome.LEAKY);
        assertThat(report.leaks()).containsEntry("job_lease", 1L);
        assertThat(report.outstanding()).containsEntry("job_lease", 0L);
        assertThat(report.phases().keySet()).containsExactlyElementsOf(ShutdownTimeline.PHASES);
        assertThat(Files.readAllLines(dataDir.resolve("termination-log"), StandardCharsets.UTF_8).getFirst())
                .isEqualTo("leaky: 1 leaked (job_lease 1)");
        try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + dataDir.resolve("quiesce") + ";IFEXISTS=TRUE", "sa", "");
             ResultSet rows = db.createStatement().executeQuery(
                     "SELECT (SELECT state FROM jobs WHERE id = " + id + "), (SELECT outcome FROM shutdown_reports)")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).as("the job, handed back").isEqualTo(JobState.QUEUED.name());
            assertThat(rows.getString(2)).as("the stored report").isEqualTo("leaky");
        }
    }
}

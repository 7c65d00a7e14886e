package dev.quiesce.status;

import dev.quiesce.QuiesceApplication;
import dev.quiesce.instance.InstanceIdentity;
import dev.quiesce.api.JobState;
import dev.quiesce.job.NewJob;
import dev.quiesce.leak.LeakKind;
import dev.quiesce.queue.Fleet;
import dev.quiesce.queue.JobQueue;
import dev.quiesce.shutdown.ShutdownOutcome;
import dev.quiesce.shutdown.ShutdownReport;
import dev.quiesce.shutdown.ShutdownReports;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /actuator/quiesce} in the whole application, on its own management port, without a token: the shape
 * of what it shows, and what {@code quiet} and {@code resume} do to claiming.
 */
@SpringBootTest(classes = QuiesceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "management.server.port=0",
                "quiesce.children.size=1",
                "quiesce.worker.poll-interval=100ms",
                "quiesce.queue.heartbeat=200ms"})
@DirtiesContext
class QuiesceEndpointTest {

    /** Only stops a hung test. */
    private static final Duration HANG_BOUND = Duration.ofSeconds(60);

    @DynamicPropertySource
    static void dataDirectory(DynamicPropertyRegistry registry) throws IOException {
        String dir = Files.createTempDirectory("quiesce-endpoint-").toString();
        registry.add("quiesce.data-dir", () -> dir);
    }

    @LocalManagementPort
    int managementPort;
    @Autowired
    Fleet fleet;

    @Autowired
    JobQueue queue;
    @Autowired
    ShutdownReports reports;
    @Autowired
    InstanceIdentity identity;

    ManagementHttp management() {
        return new ManagementHttp(managementPort);
    }

    @Test
    void theStatusShowsTheInstanceItsStateRunningJobsChildrenLeaksAndTheLastShutdownReports() {
        reports.save(report("pod-old", Instant.parse("2030-01-01T00:00:00Z"), ShutdownOutcome.CLEAN));
        reports.save(report("pod-new", Instant.parse("2030-01-02T00:00:00Z"), ShutdownOutcome.LEAKY));
        long sleeping = queue.enqueue(NewJob.of("sleep", "{\"ms\": 60000}")).job().id();
        try {
            await().atMost(HANG_BOUND).until(() -> queue.find(sleeping).orElseThrow().state() == JobState.RUNNING);
            await().atMost(HANG_BOUND).until(() -> management().get("/actuator/quiesce").json().get("children").size() == 1);

            ManagementHttp.Answer answer = management().get("/actuator/quiesce");

            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            JsonNode status = answer.json();
            assertThat(status.get("instance").get("id").asString()).isEqualTo(identity.id());
            assertThat(status.get("instance").get("name").asString()).isEqualTo(identity.name());
            assertThat(status.get("instance").get("host").asString()).isEqualTo(identity.host());
            assertThat(status.get("instance").get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
            assertThat(status.get("state").asString()).isEqualTo("RUNNING");

            JsonNode inFlight = status.get("inFlight");
            assertThat(inFlight.get("count").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(names(inFlight.get("byRunner"))).containsExactlyInAnyOrder("thread", "child");
            assertThat(inFlight.get("byRunner").get("thread").asInt()).isGreaterThanOrEqualTo(1);
            JsonNode job = find(inFlight.get("jobs"), "id", sleeping);
            assertThat(job.get("type").asString()).isEqualTo("sleep");
            assertThat(job.get("runner").asString()).isEqualTo("thread");
            assertThat(job.get("attempt").asInt()).isEqualTo(1);
            assertThat(job.get("runningSeconds").isNumber()).as("runningSeconds is a number: %s", job).isTrue();
            assertThat(job.get("progress").asDouble()).as("progress of a job that reports none: %s", job).isZero();

            JsonNode child = status.get("children").get(0);
            assertThat(names(child)).containsExactlyInAnyOrder("id", "pid", "state", "tasksServed", "rssBytes",
                    "ageSeconds", "startedAt");
            assertThat(child.get("pid").asLong()).isPositive();
            assertThat(child.get("state").asString()).isIn("starting", "idle", "busy", "retiring");
            assertThat(child.get("ageSeconds").isNumber()).isTrue();
            assertThat(Instant.parse(child.get("startedAt").asString())).isBefore(Instant.now());
            assertThat(status.get("childPool").get("degraded").asBoolean()).isFalse();
            assertThat(status.get("childPool").get("restarts").asInt()).isZero();

            Set<String> kinds = Arrays.stream(LeakKind.values()).map(LeakKind::tag).collect(Collectors.toSet());
            assertThat(names(status.get("leaks").get("outstanding"))).as("every kind").isEqualTo(kinds);
            assertThat(names(status.get("leaks").get("detected"))).as("every kind").isEqualTo(kinds);

            JsonNode latest = status.get("shutdownReports");
            assertThat(latest.size()).isEqualTo(2);
            JsonNode newest = latest.get(0);
            assertThat(newest.get("instanceName").asString()).as("newest first").isEqualTo("pod-new");
            assertThat(newest.get("outcome").asString()).isEqualTo("leaky");
            assertThat(newest.get("startedAt").asString()).isEqualTo("2030-01-02T00:00:00Z");
            assertThat(newest.get("tookSeconds").toString()).as("seconds, three decimals").isEqualTo("3.457");
            assertThat(newest.get("budgetSeconds").toString()).isEqualTo("28.000");
            assertThat(names(newest.get("phaseSeconds"))).containsExactly("dispatch", "web_server", "children", "audit");
            assertThat(newest.get("phaseSeconds").get("web_server").toString()).isEqualTo("0.012");
            assertThat(newest.get("jobs").get("drained").asInt()).isEqualTo(4);
            assertThat(newest.get("children").get("graceful").asInt()).isEqualTo(2);
            assertThat(newest.get("leaks").get("thread").asLong()).isEqualTo(2);
            assertThat(latest.get(1).get("outcome").asString()).isEqualTo("clean");
            assertThat(status.get("shutdownReportsError").isNull()).isTrue();
        } finally {
            queue.requestCancel(sleeping);
        }
    }

    @Test
    void quietStopsClaimingWithoutStoppingAndResumeRunsWhatWaited() {
        ManagementHttp.Answer quiet = management().post("/actuator/quiesce/quiet");
        long waiting;
        try {
            assertThat(quiet.status()).as(quiet.body()).isEqualTo(200);
            assertThat(quiet.json().get("state").asString()).isEqualTo("QUIET");
            assertThat(management().get("/actuator/quiesce").json().get("state").asString()).isEqualTo("QUIET");

            waiting = queue.enqueue(NewJob.of("sleep", "{\"ms\": 1}")).job().id();

            // Twenty poll intervals: a claiming dispatcher would have taken it many times over.
            await().during(Duration.ofSeconds(2)).atMost(HANG_BOUND)
                    .until(() -> queue.find(waiting).orElseThrow().state() == JobState.QUEUED);
        } finally {
            ManagementHttp.Answer resume = management().post("/actuator/quiesce/resume");
            assertThat(resume.status()).as(resume.body()).isEqualTo(200);
            assertThat(resume.json().get("state").asString()).isEqualTo("RUNNING");
        }
        await().atMost(HANG_BOUND).until(() -> queue.find(waiting).orElseThrow().state() == JobState.SUCCEEDED);
    }

    /** DESIGN §10: a quiet order through the database (the fleet's, then this instance's own) is followed within a heartbeat. */
    @Test
    void quietOrdersThroughTheDatabaseAreFollowedAndTheStatusIsPublished() {
        String id = identity.id();
        await().atMost(HANG_BOUND).until(() -> fleet.instances(Duration.ofHours(1)).stream()
                .anyMatch(instance -> instance.id().equals(id) && instance.statusJson() != null
                        && instance.statusJson().contains("\"state\":\"RUNNING\"")));
        long waiting;
        try {
            fleet.orderFleet(true);
            await().atMost(HANG_BOUND).until(() -> management().get("/actuator/quiesce").json().get("state").asString().equals("QUIET"));
            waiting = queue.enqueue(NewJob.of("sleep", "{\"ms\": 1}")).job().id();
            await().during(Duration.ofSeconds(1)).atMost(HANG_BOUND)
                    .until(() -> queue.find(waiting).orElseThrow().state() == JobState.QUEUED);
            await().atMost(HANG_BOUND).until(() -> fleet.instances(Duration.ofHours(1)).stream()
                    .anyMatch(instance -> instance.id().equals(id) && instance.statusJson().contains("\"state\":\"QUIET\"")));
        } finally {
            fleet.orderFleet(false);
        }
        await().atMost(HANG_BOUND).until(() -> queue.find(waiting).orElseThrow().state() == JobState.SUCCEEDED);
        assertThat(management().get("/actuator/quiesce").json().get("state").asString()).isEqualTo("RUNNING");

        try {
            assertThat(fleet.orderInstance(id, true)).isTrue();
            await().atMost(HANG_BOUND).until(() -> management().get("/actuator/quiesce").json().get("state").asString().equals("QUIET"));
        } finally {
            fleet.orderInstance(id, false);
        }
        await().atMost(HANG_BOUND).until(() -> management().get("/actuator/quiesce").json().get("state").asString().equals("RUNNING"));

        ManagementHttp.Answer quiet = management().post("/actuator/quiesce/quiet");
        try {
            assertThat(quiet.json().get("state").asString()).isEqualTo("QUIET");
            assertThat(fleet.instances(Duration.ofHours(1))).filteredOn(instance -> instance.id().equals(id))
                    .extracting(Fleet.Instance::quietOrdered).as("the actuator's quiet is recorded as the instance's order")
                    .containsExactly(true);
        } finally {
            management().post("/actuator/quiesce/resume");
        }
        assertThat(fleet.instances(Duration.ofHours(1))).filteredOn(instance -> instance.id().equals(id))
                .extracting(Fleet.Instance::quietOrdered).containsExactly(false);
    }

    @Test
    void quietTwiceIsStillQuietAndResumeWhenRunningChangesNothing() {
        try {
            assertThat(management().post("/actuator/quiesce/quiet").json().get("state").asString()).isEqualTo("QUIET");
            assertThat(management().post("/actuator/quiesce/quiet").json().get("state").asString()).isEqualTo("QUIET");
        } finally {
            assertThat(management().post("/actuator/quiesce/resume").json().get("state").asString()).isEqualTo("RUNNING");
        }
        assertThat(management().post("/actuator/quiesce/resume").json().get("state").asString()).isEqualTo("RUNNING");
    }

    @Test
    void anUnknownActionIsA400ThatNamesTheActionsAndChangesNothing() {
        ManagementHttp.Answer answer = management().post("/actuator/quiesce/pause");

        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.json().get("status").asInt()).isEqualTo(400);
        assertThat(answer.json().get("detail").asString()).isEqualTo("unknown action 'pause'; the actions are [quiet, resume]");
        assertThat(management().get("/actuator/quiesce").json().get("state").asString()).isEqualTo("RUNNING");
    }

    @Test
    void withoutATokenConfiguredTheEndpointAnswersWithoutAuthorization() {
        assertThat(management().get("/actuator/quiesce").status()).isEqualTo(200);
    }

    @Test
    void everyShutdownOutcomeIsScrapedAsACounter() {
        String scrape = management().get("/actuator/prometheus").body();

        assertThat(scrape).contains("# TYPE quiesce_shutdown_reports_total counter");
        for (String outcome : List.of("clean", "leaky", "overran")) {
            assertThat(Pattern.compile("(?m)^quiesce_shutdown_reports_total\\{[^}]*outcome=\"" + outcome + "\"[^}]*} \\d")
                    .matcher(scrape).find()).as("series for outcome %s in:%n%s", outcome, scrape).isTrue();
        }
    }

    private static Set<String> names(JsonNode object) {
        return new LinkedHashSet<>(object.propertyNames());
    }

    private static JsonNode find(JsonNode array, String field, long value) {
        for (JsonNode element : array) {
            if (element.get(field).asLong() == value) {
                return element;
            }
        }
        throw new AssertionError("no element with " + field + " = " + value + " in " + array);
    }

    static ShutdownReport report(String name, Instant startedAt, ShutdownOutcome outcome) {
        Map<String, Duration> phases = new LinkedHashMap<>();
        phases.put("dispatch", Duration.ofMillis(1500));
        phases.put("web_server", Duration.ofNanos(12_345_678));
        phases.put("children", Duration.ofMillis(900));
        phases.put("audit", Duration.ofMillis(20));
        Map<String, Long> leaks = new LinkedHashMap<>();
        Map<String, Long> none = new LinkedHashMap<>();
        for (LeakKind kind : LeakKind.values()) {
            leaks.put(kind.tag(), outcome == ShutdownOutcome.LEAKY && kind == LeakKind.THREAD ? 2L : 0L);
            none.put(kind.tag(), 0L);
        }
        return new ShutdownReport(name + "-1", name, startedAt, Duration.ofSeconds(28), Duration.ofNanos(3_456_789_123L),
                phases, new ShutdownReport.Jobs(4, 0, 0, 0, 0), new ShutdownReport.Children(2, 0, 0), leaks, none, none,
                outcome);
    }
}

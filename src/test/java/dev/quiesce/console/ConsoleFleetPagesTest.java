package dev.quiesce.console;

import dev.quiesce.QuiesceApplication;
import dev.quiesce.instance.InstanceIdentity;
import dev.quiesce.queue.Fleet;
import dev.quiesce.shutdown.ShutdownOutcome;
import dev.quiesce.shutdown.ShutdownReport;
import dev.quiesce.shutdown.ShutdownReports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The overview, instances and shutdowns pages over real HTTP against the whole service (H2, its own instance
 * heartbeating): what they show, the fragments htmx polls, the fleet's and one instance's quiet orders from the
 * page as an operator, and the same pages without forms (and their actions refused) for a read-only login.
 */
@SpringBootTest(classes = QuiesceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "management.server.port=0",
                "quiesce.children.size=0",
                "quiesce.queue.heartbeat=500ms",
                "quiesce.api.token=" + ConsoleFleetPagesTest.TOKEN,
                "quiesce.api.read-token=" + ConsoleFleetPagesTest.READ_TOKEN})
@DirtiesContext
class ConsoleFleetPagesTest {

    static final String TOKEN = "fleet-operator";
    static final String READ_TOKEN = "fleet-viewer";
    private static final Duration GENEROUS = Duration.ofSeconds(30);

    @DynamicPropertySource
    static void dataDirectory(DynamicPropertyRegistry registry) throws IOException {
        String dir = Files.createTempDirectory("quiesce-console-fleet-").toString();
        registry.add("quiesce.data-dir", () -> dir);
    }

    @LocalServerPort
    int port;
    @Autowired
    Fleet fleet;
    @Autowired
    InstanceIdentity instance;
    @Autowired
    ShutdownReports reports;

    @AfterEach
    void resume() {
        fleet.orderFleet(false);
        fleet.orderInstance(instance.id(), false);
    }

    @Test
    void theOverviewCountsEveryStateAndHtmxGetsOnlyItsLivePart() {
        ConsoleBrowser operator = signedIn(TOKEN);

        ConsoleBrowser.Page page = operator.get("/console");

        assertThat(page.status()).isEqualTo(200);
        for (String state : new String[]{"QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"}) {
            assertThat(page.text("count-" + state)).as(state).matches("\\d+");
        }
        assertThat(page.text("fleet-state")).isEqualTo("claiming");
        assertThat(page.body()).contains("hx-get=\"/console?fragment=overview\"", "hx-trigger=\"every 2s\"",
                "<svg class=\"minutes\"");
        ConsoleBrowser.Page fragment = operator.get("/console?fragment=overview");
        assertThat(fragment.body().strip()).startsWith("<section id=\"overview\"").doesNotContain("<html", "id=\"nav-jobs\"");
    }

    @Test
    void anOperatorQuietsTheFleetAndOneInstanceFromThePageAndEachFollowsWithinAHeartbeat() {
        ConsoleBrowser operator = signedIn(TOKEN);
        String row = "instance-" + instance.id();
        ConsoleBrowser.Page page = operator.get("/console/instances");
        assertThat(page.has(row)).isTrue();
        assertThat(page.has("fleet-quiet")).isTrue();
        assertThat(stateOf(page, row)).isEqualTo("RUNNING");

        ConsoleBrowser.Page quiet = operator.submit("/console/instances/quiet");

        assertThat(quiet.status()).isEqualTo(303);
        assertThat(quiet.location()).endsWith("/console/instances");
        assertThat(fleet.fleetQuiet()).isTrue();
        ConsoleBrowser.Page after = operator.get("/console/instances");
        assertThat(after.text("flash")).startsWith("Told the fleet to be quiet");
        assertThat(after.text("fleet-order")).isEqualTo("quiet");
        await("the instance follows the fleet's order").atMost(GENEROUS)
                .until(() -> stateOf(operator.get("/console/instances?fragment=instances"), row), "QUIET"::equals);
        assertThat(operator.get("/console").text("fleet-state")).isEqualTo("quiet");

        operator.get("/console/instances");
        operator.submit("/console/instances/resume");
        await("the instance claims again").atMost(GENEROUS)
                .until(() -> stateOf(operator.get("/console/instances"), row), "RUNNING"::equals);

        operator.get("/console/instances");
        ConsoleBrowser.Page one = operator.submit("/console/instances/" + instance.id() + "/quiet");
        assertThat(one.status()).isEqualTo(303);
        await("the instance follows its own order").atMost(GENEROUS)
                .until(() -> stateOf(operator.get("/console/instances"), row), "QUIET"::equals);
        assertThat(operator.get("/console/instances").body()).contains("quiet ordered");
        assertThat(fleet.fleetQuiet()).as("one instance's order is not the fleet's").isFalse();

        operator.get("/console/instances");
        operator.submit("/console/instances/no-such-instance/resume");
        assertThat(operator.get("/console/instances").text("flash")).isEqualTo("No live instance no-such-instance: nothing to resume.");
    }

    @Test
    void aReadOnlyLoginSeesTheInstancesWithoutFormsAndCannotQuietTheFleet() {
        ConsoleBrowser viewer = signedIn(READ_TOKEN);

        ConsoleBrowser.Page page = viewer.get("/console/instances");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.has("instance-" + instance.id())).isTrue();
        assertThat(page.has("fleet-quiet")).isFalse();
        assertThat(page.has("fleet-resume")).isFalse();
        assertThat(page.body()).doesNotContain("/quiet\"", "/resume\"");
        assertThat(viewer.submit("/console/instances/quiet").status()).isEqualTo(403);
        assertThat(viewer.submit("/console/instances/" + instance.id() + "/quiet").status()).isEqualTo(403);
        assertThat(fleet.fleetQuiet()).isFalse();
    }

    @Test
    void aShutdownReportShowsItsOutcomeTimelineAndOnlyTheLeakKindsThatHappened() {
        Map<String, Duration> phases = new LinkedHashMap<>();
        phases.put("dispatch", Duration.ofMillis(4_000));
        phases.put("web_server", Duration.ofMillis(100));
        phases.put("children", Duration.ofMillis(900));
        phases.put("audit", Duration.ofMillis(20));
        Map<String, Long> leaks = new LinkedHashMap<>(Map.of("thread", 2L, "zombie", 0L));
        reports.save(new ShutdownReport("console-test-instance", "pod-7", Instant.now(), Duration.ofSeconds(25),
                Duration.ofMillis(5_020), phases, new ShutdownReport.Jobs(3, 1, 2, 0, 0), new ShutdownReport.Children(2, 0, 0),
                leaks, Map.of("thread", 0L), Map.of(), ShutdownOutcome.LEAKY));

        ConsoleBrowser.Page page = signedIn(READ_TOKEN).get("/console/shutdowns");

        assertThat(page.status()).isEqualTo(200);
        String body = page.body();
        int item = body.indexOf("console-test-instance");
        assertThat(item).as("the report is listed").isPositive();
        String report = body.substring(body.lastIndexOf("<li class=\"shutdown", item), body.indexOf("</li>", item));
        assertThat(report).contains("class=\"outcome leaky\"", "pod-7", "<svg class=\"timeline\"", "dispatch 4.0 s",
                "drained <span>3</span>", "released <span>2</span>", "<span>thread</span>")
                .doesNotContain("zombie");
        assertThat(Pattern.compile("<rect class=\"phase").matcher(report).results().count()).isEqualTo(4);
    }

    private ConsoleBrowser signedIn(String token) {
        ConsoleBrowser browser = new ConsoleBrowser(port);
        browser.get("/console/login");
        ConsoleBrowser.Page login = browser.submit("/console/login", "token", token);
        assertThat(login.status()).as(login.body()).isEqualTo(303);
        return browser;
    }

    /** The state written in the instance's row (the first word of its state cell). */
    private static String stateOf(ConsoleBrowser.Page page, String row) {
        var m = Pattern.compile("id=\"" + Pattern.quote(row) + "\".*?<td class=\"state[^\"]*\"><span>(\\w+)</span>",
                Pattern.DOTALL).matcher(page.body());
        return m.find() ? m.group(1) : null;
    }
}

package dev.quiesce.process;

import dev.quiesce.testing.Actuator;
import dev.quiesce.testing.PostgresTestServer;
import dev.quiesce.testing.QuiesceApi;
import dev.quiesce.testing.QuiesceProcess;
import dev.quiesce.testing.QuiesceProcesses;
import dev.quiesce.testing.Signal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.quiesce.testing.QuiesceApi.jobRequest;
import static dev.quiesce.testing.QuiesceApi.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The service on PostgreSQL while the database goes away and comes back (DESIGN §1.1, §1.2): it neither exits
 * nor wedges, its readiness follows the database, finished jobs whose outcome could not be written are written
 * once it is back, and nothing is lost. A SIGTERM in the middle of the outage still exits inside the budget, and
 * its report says what it could not write.
 */
class DatabaseOutageIT {

    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final Duration GRACE_PERIOD = Duration.ofSeconds(20);
    private static final Duration JOB = Duration.ofMillis(1_500);

    @RegisterExtension
    final ProcessSweep sweep = new ProcessSweep();
    @RegisterExtension
    final QuiesceProcesses quiesce = new QuiesceProcesses();

    private DatabaseLink link;
    private String[] database;

    @BeforeEach
    void linkToAFreshSchema() {
        PostgresTestServer server = PostgresTestServer.locate("DatabaseOutageIT");
        String url = server.freshSchemaUrl("outage_it");
        URI address = URI.create(url.substring("jdbc:".length()));
        link = DatabaseLink.to(address.getHost(), address.getPort());
        String linked = url.replace(address.getHost() + ":" + address.getPort(), "127.0.0.1:" + link.port());
        database = new String[]{"--spring.datasource.url=" + linked, "--spring.datasource.username=" + server.user(),
                "--spring.datasource.password=" + server.password(), "--quiesce.worker.threads=4",
                "--quiesce.children.size=1"};
    }

    @AfterEach
    void closeTheLink() {
        if (link != null) {
            link.close();
        }
    }

    @Test
    void anOutageOfThirtySecondsIsWaitedOutAndEveryJobStillEndsOnce() {
        Journal journal = new Journal(quiesce.file("journal.txt"));
        QuiesceProcess service = quiesce.start(database);
        sweep.watchService(service.pid());
        QuiesceApi api = service.api();
        List<Long> ids = enqueue(api, 16, journal);
        await("jobs running").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> api.jobs("state=RUNNING&limit=100").size() >= 2);

        link.cut();
        Actuator actuator = service.actuator();
        await("readiness DOWN while the database is away").atMost(Duration.ofSeconds(30))
                .until(() -> actuator.readiness() == 503);
        QuiesceProcess.pause(OUTAGE);
        assertThat(service.isAlive()).as("the service after %s without its database", OUTAGE).isTrue();
        assertThat(actuator.readiness()).as("readiness at the end of the outage").isEqualTo(503);

        link.restore();
        await("readiness back once the database is").atMost(Duration.ofSeconds(60))
                .until(() -> actuator.readiness() == 200);
        await("every job terminal after the outage").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> ids.stream().allMatch(id -> "SUCCEEDED".equals(state(api.job(id)))));
        Map<Long, Integer> completions = journal.completions();
        assertThat(completions.keySet()).as("jobs whose work completed").containsAll(ids);
        assertThat(service.log().text()).as("outcomes that could not be written were retried")
                .contains("Could not write");
        List<Long> ranTwice = ids.stream().filter(id -> completions.get(id) > 1).toList();
        // A job runs twice only if its lease was taken from it (none here: one instance) — the retried
        // settlement must have been written, not dropped.
        assertThat(ranTwice).as("jobs whose work completed more than once").isEmpty();
    }

    @Test
    void aSigtermDuringAnOutageExitsInsideTheBudgetAndReportsWhatItCouldNotWrite() throws IOException {
        Journal journal = new Journal(quiesce.file("journal.txt"));
        Path message = quiesce.file("termination-log");
        String[] options = concat(database, "--quiesce.shutdown.grace-period=" + GRACE_PERIOD.toSeconds() + "s",
                "--quiesce.shutdown.termination-message-path=" + message);
        QuiesceProcess service = quiesce.start(options);
        sweep.watchService(service.pid());
        QuiesceApi api = service.api();
        List<Long> ids = enqueue(api, 8, journal);
        await("four jobs running").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> api.jobs("state=RUNNING&limit=100").size() >= 4);

        link.cut();
        // The running jobs finish while the database is away: their outcomes cannot be written.
        QuiesceProcess.pause(JOB.multipliedBy(2));
        service.signal(Signal.TERM);
        QuiesceProcess.Exit exit = service.awaitExit(QuiesceProcesses.EXIT_BOUND);

        System.out.printf("SIGTERM during a database outage: exited with %d after %d ms%n", exit.code(), exit.sinceSignal().toMillis());
        assertThat(exit.sinceSignal()).as("time from SIGTERM to exit, the database away").isLessThan(GRACE_PERIOD);
        assertThat(exit.code()).as("exit status after SIGTERM").isIn(0, 128 + 15);
        List<String> lines = Files.readAllLines(message, StandardCharsets.UTF_8);
        assertThat(lines.getFirst()).as("termination message: overran for what it could not write, not for time")
                .startsWith("overran: ").contains("finished job(s) whose outcome could not be written").doesNotContain("budget");
        int unwritten = unwritten(lines);
        assertThat(unwritten).as("outcomes not written, in %s", lines).isGreaterThanOrEqualTo(1);
        assertThat(service.log().text()).contains("Shutdown overran");

        // Back with the database: the restart hands back what the stopped run still held, and every job ends.
        link.restore();
        QuiesceProcess next = quiesce.start(options);
        sweep.watchService(next.pid());
        QuiesceApi again = next.api();
        await("every job terminal after the restart").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> ids.stream().allMatch(id -> "SUCCEEDED".equals(state(again.job(id)))));
        Map<Long, Integer> completions = journal.completions();
        assertThat(completions.keySet()).as("jobs whose work completed").containsAll(ids);
        long ranTwice = ids.stream().filter(id -> completions.get(id) > 1).count();
        // Only a job whose outcome was lost runs again (one whose commit reached the database as the link was cut
        // is counted as not written, yet does not).
        assertThat(ranTwice).as("jobs run twice, at most those reported not written").isLessThanOrEqualTo(unwritten);
    }

    private static List<Long> enqueue(QuiesceApi api, int count, Journal journal) {
        List<Map<String, Object>> requests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            requests.add(jobRequest("sleep", 0, 5, "ms", JOB.toMillis(), "journal", journal.path()));
        }
        return api.enqueueAll(requests).stream().map(QuiesceApi::id).toList();
    }

    private static int unwritten(List<String> lines) {
        for (String line : lines) {
            Matcher matcher = Pattern.compile("outcomes not written (\\d+)").matcher(line);
            if (line.startsWith("jobs: ") && matcher.find()) {
                return Integer.parseInt(matcher.group(1));
            }
        }
        return 0;
    }

    private static String[] concat(String[] first, String... more) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }
}

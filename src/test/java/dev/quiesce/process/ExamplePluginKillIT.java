package dev.quiesce.process;

import dev.quiesce.testing.Actuator;
import dev.quiesce.testing.JobsDb;
import dev.quiesce.testing.JobsDb.JobRow;
import dev.quiesce.testing.ProcScan;
import dev.quiesce.testing.ProcScan.Proc;
import dev.quiesce.testing.ProcessLog;
import dev.quiesce.testing.QuiesceApi;
import dev.quiesce.testing.QuiesceProcess;
import dev.quiesce.testing.QuiesceProcesses;
import dev.quiesce.testing.Signal;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.quiesce.testing.QuiesceApi.state;
import static dev.quiesce.testing.QuiesceApi.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The other two ways a service with plugin jobs ends — SIGKILL and Ctrl+C in a terminal — with the example project's
 * job types ({@code examples/report-jobs}) running in-process and in child JVMs that carry the plugin's own library.
 * SIGKILL: the children and their trees die with the service and the next start runs every job to success. Ctrl+C:
 * the children, in their own session, do not get the SIGINT; the service stops them in order and reports a clean
 * stop.
 */
class ExamplePluginKillIT {

    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    @RegisterExtension
    final ProcessSweep sweep = new ProcessSweep();
    @RegisterExtension
    final QuiesceProcesses quiesce = new QuiesceProcesses();

    @Test
    void aSigkilledServiceTakesItsChildrenAlongAndTheNextStartRunsEveryPluginJob() {
        ExampleProject example = ExampleProject.built();
        String[] arguments = options(example).toArray(String[]::new);
        QuiesceProcess service = quiesce.start(arguments);
        sweep.watchService(service.pid());
        List<Long> slow = ExampleJobs.enqueueSlowJobs(service.api());
        awaitBothTypesRunning(service.api());
        List<Proc> children = ProcScan.childJvmsOf(service.pid());
        assertThat(children).as("child JVMs running markdown jobs").hasSize(2);

        service.signal(Signal.KILL);
        QuiesceProcess.Exit exit = service.awaitExit(QuiesceProcesses.EXIT_BOUND);

        assertThat(exit.code()).as("exit status after SIGKILL").isEqualTo(128 + 9);
        await("the killed service's children and their trees gone").atMost(Duration.ofSeconds(10))
                .until(() -> children.stream().noneMatch(Proc::isAlive) && exit.survivors().stream().noneMatch(ProcessHandle::isAlive));
        QuiesceProcess restarted = quiesce.start(arguments);
        sweep.watchService(restarted.pid());
        QuiesceApi api = restarted.api();
        await("every plugin job succeeded after the restart").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> slow.stream().allMatch(id -> QuiesceApi.isTerminal(state(api.job(id)))));
        for (long id : slow) {
            JsonNode job = api.job(id);
            assertThat(state(job)).as("job %d after the SIGKILL and restart: %s", id, job).isEqualTo("SUCCEEDED");
        }
    }

    @Test
    void ctrlCInATerminalStopsThePluginJobsChildrenInOrderAndReportsACleanStop() {
        Optional<Path> tmux = TmuxSession.binary();
        if (tmux.isEmpty()) {
            System.err.println("SKIPPED ExamplePluginKillIT Ctrl+C: tmux is not installed (.ci/run installs it)");
            Assumptions.abort("tmux is not installed: cannot test Ctrl+C in a real terminal");
        }
        ExampleProject example = ExampleProject.built();
        Path dataDir = quiesce.dataDir();
        Path log = dataDir.resolve("quiesce-tmux.log");
        int port = QuiesceProcess.freePort();
        int managementPort = QuiesceProcess.freePort();
        StringBuilder command = new StringBuilder("exec " + quote(JAVA.toString()) + " -Xmx384m -jar "
                + quote(QuiesceProcesses.packagedJar().toString()) + " --server.port=" + port
                + " --management.server.port=" + managementPort + " --quiesce.data-dir=" + quote(dataDir.toString()));
        for (String option : options(example)) {
            command.append(' ').append(quote(option));
        }
        command.append(" > ").append(quote(log.toString())).append(" 2>&1");
        TmuxSession session = TmuxSession.start(tmux.get(), dataDir, command.toString());
        sweep.onCleanup(session::kill);
        long pid = session.panePid();
        Proc serviceProc = sweep.watchService(pid);
        Actuator actuator = new Actuator(managementPort);
        await("the service in the tmux pane ready").atMost(QuiesceProcesses.START_BOUND).pollInterval(Duration.ofMillis(200))
                .failFast("the service exited before it was ready", () -> !serviceProc.isAlive())
                .until(() -> actuator.readiness() == 200);
        QuiesceApi api = new QuiesceApi(URI.create("http://127.0.0.1:" + port), null);
        List<Long> slow = ExampleJobs.enqueueSlowJobs(api);
        awaitBothTypesRunning(api);
        List<Proc> children = ProcScan.childJvmsOf(pid);
        assertThat(children).as("child JVMs running markdown jobs").hasSize(2);

        session.sendKeys("C-c");
        await("the service gone after Ctrl+C").atMost(QuiesceProcesses.EXIT_BOUND).pollInterval(Duration.ofMillis(50))
                .until(() -> !serviceProc.isAlive());

        String text = new ProcessLog(log, List.of()).text();
        assertThat(ProcScan.ofService(serviceProc)).as("processes of the service after Ctrl+C; log:\n%s", text).isEmpty();
        assertThat(children).as("child JVMs alive after the service exited").filteredOn(Proc::isAlive).isEmpty();
        assertThat(text).doesNotContain(" died while busy").doesNotContain(" died while idle");
        assertThat(text.lines().filter(line -> line.contains("Shutdown ") && line.contains(" -- ")).toList())
                .as("the shutdown report line after Ctrl+C").singleElement().asString()
                .contains("Shutdown clean: nothing lost, nothing leaked");
        try (JobsDb db = JobsDb.open(dataDir)) {
            assertThat(db.jobs()).as("plugin jobs after Ctrl+C: finished or handed back").hasSize(slow.size())
                    .allSatisfy(row -> assertThat(row.state()).as("job %d (%s)", row.id(), row.type()).isIn("SUCCEEDED", "QUEUED"))
                    .filteredOn(row -> row.state().equals("QUEUED")).extracting(JobRow::type).contains("markdown");
        }
    }

    private static List<String> options(ExampleProject example) {
        List<String> options = new ArrayList<>(ExampleJobs.OPTIONS);
        options.add("--quiesce.plugins.dir=" + example.pluginsDir());
        return options;
    }

    private static void awaitBothTypesRunning(QuiesceApi api) {
        await("slow jobs of both types running").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    List<JsonNode> running = api.jobs("state=RUNNING&limit=1000");
                    return running.stream().filter(job -> "markdown".equals(text(job, "type"))).count() == 2
                            && running.stream().anyMatch(job -> "report".equals(text(job, "type")));
                });
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}

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
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.quiesce.testing.QuiesceApi.jobRequest;
import static dev.quiesce.testing.QuiesceApi.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Ctrl+C in a real terminal: the service runs in the foreground of a tmux pane, and {@code C-c} makes the
 * terminal driver send SIGINT to the whole foreground process group. The child JVMs live in their own session,
 * so the signal reaches only the service, which stops them in order: the child tasks finish inside the drain
 * (or are handed back), no child dies of the SIGINT itself, the service exits cleanly and leaves no process
 * (DESIGN §5 Ctrl+C, §1.3). Where tmux is absent the test is skipped, loudly.
 */
class ChildCtrlCIT {

    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    private static final int SLEEPS = 4;

    @RegisterExtension
    final ProcessSweep sweep = new ProcessSweep();
    @RegisterExtension
    final QuiesceProcesses quiesce = new QuiesceProcesses();

    @Test
    void ctrlCInATerminalStopsTheServiceInOrderWithoutKillingItsChildrenByTheSignal() throws IOException {
        Optional<Path> tmux = TmuxSession.binary();
        if (tmux.isEmpty()) {
            System.err.println("SKIPPED ChildCtrlCIT: tmux is not installed, so Ctrl+C in a real terminal cannot be"
                    + " tested here (.ci/run installs it)");
            Assumptions.abort("tmux is not installed: cannot test Ctrl+C in a real terminal");
        }
        Path dataDir = quiesce.dataDir();
        Path log = dataDir.resolve("quiesce-tmux.log");
        Journal journal = new Journal(dataDir.resolve("journal.txt"));
        int port = QuiesceProcess.freePort();
        int managementPort = QuiesceProcess.freePort();
        // exec: the service itself is the pane's process, hence the terminal's foreground process group.
        String command = "exec " + quote(JAVA.toString()) + " -Xmx384m -jar " + quote(QuiesceProcesses.packagedJar().toString())
                + " --server.port=" + port + " --management.server.port=" + managementPort
                + " --quiesce.data-dir=" + quote(dataDir.toString())
                + " --quiesce.builtin.journal-dir=" + quote(dataDir.toString())
                + " --quiesce.routing.sleep=child --quiesce.children.size=2"
                + " > " + quote(log.toString()) + " 2>&1";
        TmuxSession session = TmuxSession.start(tmux.get(), dataDir, command);
        sweep.onCleanup(session::kill);
        long pid = session.panePid();
        Proc serviceProc = sweep.watchService(pid);

        Actuator actuator = new Actuator(managementPort);
        withLogOnFailure(log, () -> await("the service in the tmux pane ready").atMost(QuiesceProcesses.START_BOUND)
                .pollInterval(Duration.ofMillis(200))
                .failFast("the service exited before it was ready", () -> !serviceProc.isAlive())
                .until(() -> actuator.readiness() == 200));
        Proc running = ProcScan.read(pid).orElseThrow();
        assertThat(running.cmdline()).as("the pane's process").contains("-jar");
        assertThat(running.isInForeground()).as("the service in the terminal's foreground process group: %s",
                running).isTrue();

        QuiesceApi api = new QuiesceApi(URI.create("http://127.0.0.1:" + port), null);
        List<Map<String, Object>> requests = new ArrayList<>();
        for (int i = 0; i < SLEEPS; i++) {
            requests.add(jobRequest("sleep", 0, 3, "ms", 1_500, "journal", journal.path()));
        }
        Set<Long> ids = api.enqueueAll(requests).stream().map(QuiesceApi::id).collect(Collectors.toSet());
        await("two child sleeps running").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
                .until(() -> ids.stream().filter(id -> "RUNNING".equals(state(api.job(id)))).count() == 2);
        List<Proc> children = ProcScan.childJvmsOf(pid);
        assertThat(children).as("child JVMs of the service").hasSize(2)
                .allSatisfy(child -> assertThat(child.processGroup()).as("process group of child %s", child)
                        .isNotEqualTo(running.processGroup()));

        session.sendKeys("C-c");
        withLogOnFailure(log, () -> await("the service gone after Ctrl+C").atMost(QuiesceProcesses.EXIT_BOUND)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> !serviceProc.isAlive()));
        String text = new ProcessLog(log, List.of()).text();
        System.out.println("CHILD-CTRLC " + text.lines().filter(l -> l.contains("Dispatcher stopped")).findFirst()
                .orElse("(no 'Dispatcher stopped' line)"));

        assertThat(ProcScan.ofService(serviceProc)).as("processes of ours after the service exited").isEmpty();
        assertThat(children).as("child JVMs alive after the service exited").filteredOn(Proc::isAlive).isEmpty();
        assertThat(text).as("log of the service stopped by Ctrl+C").contains("Dispatcher stopped")
                .doesNotContain(" died while busy").doesNotContain(" died while idle");
        // The newcomer's moment: the last word of the stop is a one-line report that says it was clean.
        assertThat(text.lines().filter(line -> line.contains("Shutdown ")).filter(line -> line.contains(" -- ")).toList())
                .as("the shutdown report line after Ctrl+C").singleElement().asString()
                .contains("Shutdown clean: nothing lost, nothing leaked").contains("leaks none").contains("outstanding none");

        try (JobsDb db = JobsDb.open(dataDir)) {
            List<JobRow> rows = db.jobs();
            assertThat(rows).as("the child sleep jobs after Ctrl+C: finished in the drain or handed back, none"
                    + " failed or crashed by the SIGINT").hasSize(SLEEPS).allSatisfy(row -> {
                        assertThat(row.state()).as("state of job %d", row.id()).isIn("SUCCEEDED", "QUEUED");
                        assertThat(row.crashes()).as("crashes of job %d", row.id()).isZero();
                    });
            assertThat(rows).as("the two jobs running at Ctrl+C finished inside the drain")
                    .filteredOn(row -> row.state().equals("SUCCEEDED")).hasSizeGreaterThanOrEqualTo(2);
            assertThat(db.workerStates()).as("workers rows after Ctrl+C").containsExactly("STOPPED");
        }
    }

    /** Runs {@code wait}; if it fails, fails with the service's log tail, which a tmux pane does not show. */
    private static void withLogOnFailure(Path log, Runnable wait) {
        try {
            wait.run();
        } catch (RuntimeException | AssertionError e) {
            throw new AssertionError(e.getMessage() + "; log tail:\n" + new ProcessLog(log, List.of()).tail(60), e);
        }
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}

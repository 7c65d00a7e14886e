package dev.quiesce.process;

import dev.quiesce.testing.ProcScan;
import dev.quiesce.testing.ProcScan.Proc;
import dev.quiesce.testing.QuiesceProcess;
import dev.quiesce.testing.QuiesceProcesses;
import dev.quiesce.testing.Scrape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ledger ({@code children.ledger} in the data directory: {@code pid startTimeMillis} per line) is what a
 * SIGKILLed service leaves behind about its children. The next start kills every entry still alive with the
 * same start time, with its tree, and says so; a pid whose start time differs now names some other process,
 * which must be left alone (DESIGN §1.4, §5 ledger).
 */
class ChildLedgerIT {

    private static final String LEDGER = "children.ledger";
    private static final Pattern KILLED_PIDS = Pattern.compile("pids \\[([0-9, ]+)]");

    @RegisterExtension
    final ProcessSweep sweep = new ProcessSweep();
    @RegisterExtension
    final QuiesceProcesses quiesce = new QuiesceProcesses();

    @Test
    void aStartKillsTheLeftoverOfAPreviousRunWithItsTreeAndSparesAPidWhoseStartTimeDiffers() throws IOException {
        // The "previous run's child": a process with a child of its own, as a child JVM with a task's grandchild.
        ProcessHandle leftover = sweep.watch(start("/bin/sh", "-c", "sleep 600 & exec sleep 601").toHandle());
        await("the leftover's own child started").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> leftover.children().findAny().isPresent());
        Proc leftoverGrandchild = ProcScan.read(leftover.children().findFirst().orElseThrow().pid()).orElseThrow();
        sweep.onCleanup(leftoverGrandchild::kill);
        // Not the previous run's: its pid is in the ledger, but with another start time (the pid was reused).
        ProcessHandle stranger = sweep.watch(start("sleep", "600").toHandle());

        long leftoverStart = startMillis(leftover);
        long strangerStart = startMillis(stranger);
        Files.writeString(quiesce.dataDir().resolve(LEDGER),
                leftover.pid() + " " + leftoverStart + "\n" + stranger.pid() + " " + (strangerStart - 60_000) + "\n",
                StandardCharsets.UTF_8);

        QuiesceProcess service = quiesce.start("--quiesce.children.size=2");
        sweep.watchService(service.pid());

        await("the previous run's leftover and its child killed").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> !leftover.isAlive() && !leftoverGrandchild.isAlive());
        String log = service.log().text();
        List<String> killLines = log.lines().filter(line -> line.contains("left alive by a previous run")).toList();
        System.out.println("CHILD-LEDGER " + killLines);
        assertThat(killLines).as("log lines about the previous run's leftovers").hasSize(1);
        Matcher pids = KILLED_PIDS.matcher(killLines.getFirst());
        assertThat(pids.find()).as("the kill line names pids: %s", killLines.getFirst()).isTrue();
        assertThat(Arrays.stream(pids.group(1).split(",")).map(String::trim).map(Long::parseLong).toList())
                .as("pids the service killed as leftovers").containsExactly(leftover.pid());
        assertThat(stranger.isAlive()).as("a process whose start time does not match its ledger entry").isTrue();
        // Counted as the previous run's leaks: the leftover and its child, both killed.
        Scrape scrape = Scrape.of(service);
        assertThat(scrape.value("quiesce_leaks_detected_total", "kind", "previous_run_process")).isEqualTo(2);
        assertThat(scrape.value("quiesce_leaks_reclaimed_total", "kind", "previous_run_process")).isEqualTo(2);
        assertThat(scrape.value("quiesce_leaked_resources", "kind", "previous_run_process")).isZero();
        assertThat(service.actuator().get("quiesce").orElseThrow().json().get("leaks").get("detected")
                .get("previous_run_process").asLong()).as("/actuator/quiesce").isEqualTo(2);

        Path ledger = quiesce.dataDir().resolve(LEDGER);
        await("the ledger lists the new children only").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> ledgerPids(ledger).size() == 2);
        List<Long> children = ProcScan.childJvmsOf(service.pid()).stream().map(Proc::pid).toList();
        assertThat(ledgerPids(ledger)).as("pids in the ledger vs the service's child JVMs")
                .containsExactlyInAnyOrderElementsOf(children)
                .doesNotContain(leftover.pid(), stranger.pid());
    }

    private static Process start(String... command) throws IOException {
        return new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    /** As the service computes it ({@code ChildLedger.startMillis}). */
    private static long startMillis(ProcessHandle process) {
        return process.info().startInstant().orElseThrow().toEpochMilli();
    }

    private static List<Long> ledgerPids(Path ledger) throws IOException {
        return Files.readAllLines(ledger, StandardCharsets.UTF_8).stream().filter(line -> !line.isBlank())
                .map(line -> Long.parseLong(line.trim().split("\\s+")[0])).toList();
    }
}

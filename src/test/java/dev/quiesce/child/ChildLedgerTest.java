package dev.quiesce.child;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The ledger of live children: leftovers of a previous run are killed at start, nothing else is. */
class ChildLedgerTest {

    @TempDir
    Path dataDir;
    private final List<Process> started = new ArrayList<>();
    private PoolFixture fixture;

    @AfterEach
    void stopThePoolAndKillWhatTheTestStarted() throws InterruptedException {
        try {
            if (fixture != null) {
                fixture.close();
            }
        } finally {
            started.forEach(Process::destroyForcibly);
        }
    }

    @Test
    void aLeftoverOfAPreviousRunWithItsStartTimeIsKilledAndCountedButAReusedPidIsNot() throws Exception {
        Process leftover = sleep();
        Process bystander = sleep();
        long leftoverStart = ChildLedger.startMillis(leftover.toHandle()).orElseThrow();
        long bystanderStart = ChildLedger.startMillis(bystander.toHandle()).orElseThrow();
        Files.writeString(dataDir.resolve(ChildLedger.FILE_NAME),
                leftover.pid() + " " + leftoverStart + "\n" + bystander.pid() + " " + (bystanderStart - 10_000) + "\n");
        fixture = PoolFixture.real(ChildProperties.defaults().withSize(0), dataDir);

        fixture.pool.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> !leftover.isAlive());
        assertThat(fixture.pool.previousRunKilled()).isEqualTo(1);
        assertThat(bystander.isAlive()).as("a pid whose start time differs is someone else's").isTrue();
        assertThat(Files.readString(dataDir.resolve(ChildLedger.FILE_NAME))).isEmpty();
        fixture.stop();
    }

    @Test
    void theLedgerListsTheLiveChildrenWithTheirStartTimes() throws Exception {
        fixture = PoolFixture.real(ChildProperties.defaults().withSize(2), dataDir);
        fixture.pool.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> fixture.pool.idle() == 2);

        List<String> lines = Files.readAllLines(dataDir.resolve(ChildLedger.FILE_NAME));
        List<String> expected = fixture.pool.children().stream()
                .map(c -> c.pid() + " " + ChildLedger.startMillis(ProcessHandle.of(c.pid()).orElseThrow()).orElseThrow()).toList();
        assertThat(lines).containsExactlyInAnyOrderElementsOf(expected);

        fixture.stop();
        assertThat(Files.readString(dataDir.resolve(ChildLedger.FILE_NAME))).isEmpty();
    }

    private Process sleep() throws Exception {
        Process process = new ProcessBuilder("sleep", "600").start();
        started.add(process);
        return process;
    }
}

package dev.quiesce.child.worker;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** A real child JVM serving the protocol: hello, tasks, results and stats, cancel, shutdown, errors. */
class ChildProtocolTest {

    private static final Duration BOUND = Duration.ofSeconds(30);

    @Test
    void helloComesFirstAndCarriesTheChildsPid() {
        try (ChildUnderTest child = ChildUnderTest.start()) {
            assertThat(child.awaitHello()).isEqualTo(child.pid());
        }
    }

    @Test
    void builtInTasksAnswerWithAResultAndThenStats() throws Exception {
        try (ChildUnderTest child = ChildUnderTest.start()) {
            child.awaitHello();

            child.task(1, "noop", "{}");
            assertThat(child.next(Frame.Result.class, BOUND)).isEqualTo(new Frame.Result(1, true, "ok"));
            Frame.Stats first = child.next(Frame.Stats.class, BOUND);
            assertThat(first.tasksServed()).isEqualTo(1);
            assertThat(first.rssBytes()).isGreaterThan(1 << 20);

            assertThat(child.run(2, "sleep", "{\"ms\": 50}")).isEqualTo(new Frame.Result(2, true, "slept 50 ms"));
            child.task(3, "noop", null);
            assertThat(child.next(Frame.Result.class, BOUND).ok()).isTrue();
            assertThat(child.next(Frame.Stats.class, BOUND).tasksServed()).isEqualTo(3);
        }
    }

    @Test
    void sha256GivesTheSameDigestAsTheInProcessHandler() throws Exception {
        try (ChildUnderTest child = ChildUnderTest.start()) {
            child.awaitHello();

            assertThat(child.run(1, "sha256", "{\"mib\": 3, \"seed\": 42}"))
                    .isEqualTo(new Frame.Result(1, true, digest(3, 42)));
            assertThat(child.run(2, "sha256", "{\"mib\": 1}")).isEqualTo(new Frame.Result(2, true, digest(1, 0)));
            assertThat(child.run(3, "sha256", "{\"mib\": 0}").text())
                    .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"); // SHA-256 of nothing
        }
    }

    /** What {@code dev.quiesce.job.builtin.Sha256Job.digest} computes (package-private there). */
    private static String digest(long mib, long seed) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        SplittableRandom random = new SplittableRandom(seed);
        byte[] block = new byte[1 << 20];
        for (long i = 0; i < mib; i++) {
            random.nextBytes(block);
            sha.update(block);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    @Test
    void sleepAndSha256AppendTheJobIdToTheirJournalAfterTheWork(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path journal = dir.resolve("journal");
        try (ChildUnderTest child = ChildUnderTest.start(java.util.Map.of("QUIESCE_JOURNAL_DIR", dir.toString()))) {
            child.awaitHello();

            child.run(11, "sleep", "{\"ms\": 1, \"journal\": \"" + journal + "\"}");
            child.run(12, "sha256", "{\"mib\": 1, \"journal\": \"" + journal + "\"}");
            child.task(13, "sleep", "{\"ms\": 60000, \"journal\": \"" + journal + "\"}");
            Thread.sleep(200);
            child.send(new Frame.Cancel(13));
            assertThat(child.awaitResult().text()).isEqualTo("cancelled");
            assertFailed(child.run(14, "sleep", "{\"ms\": 1, \"journal\": \"../outside\"}"), 14,
                    "IllegalArgumentException: payload.journal must name a file inside quiesce.builtin.journal-dir, was \"../outside\"",
                    "at dev.quiesce.child.worker.task.Journal.");
            child.run(15, "sleep", "{\"ms\": 1, \"journal\": \"journal\"}");
        }
        assertThat(Files.readAllLines(journal)).containsExactly("11", "12", "15");
        assertThat(dir.resolveSibling("outside")).doesNotExist();
    }

    @Test
    void withoutAJournalDirectoryAJournalIsRefusedAndNothingIsWritten(@org.junit.jupiter.api.io.TempDir Path dir) {
        Path journal = dir.resolve("journal");
        try (ChildUnderTest child = ChildUnderTest.start()) {
            child.awaitHello();
            assertThat(child.run(16, "sleep", "{\"ms\": 1, \"journal\": \"" + journal + "\"}").text())
                    .startsWith("IllegalArgumentException: payload.journal is not accepted: journals are off");
        }
        assertThat(journal).doesNotExist();
    }

    @Test
    void aBadPayloadOrAnUnknownTypeFailsTheTaskWithAClearErrorAndTheChildServesOn() {
        try (ChildUnderTest child = ChildUnderTest.start()) {
            child.awaitHello();

            assertThat(child.run(1, "sleep", "{}"))
                    .satisfies(result -> assertFailed(result, 1, "IllegalArgumentException: payload.ms is required (a whole number from 0 to 86400000)",
                            "at dev.quiesce.child.worker.task.SleepTask.run("));
            assertThat(child.run(2, "sleep", "[50]").text())
                    .startsWith("IllegalArgumentException: malformed JSON payload at offset 0: expected '{'");
            assertFailed(child.run(3, "teleport", "{}"), 3,
                    "IllegalArgumentException: unknown child task type 'teleport' (known: crash, exit, garbage, hang, noop, oom, sha256, sleep, spawn, stuck)",
                    "at dev.quiesce.child.worker.TaskCatalog.find(");
            assertThat(child.run(4, "noop", "{}").ok()).isTrue();
        }
    }

    @Test
    void cancelInterruptsSleepAndTheResultSaysCancelled() {
        try (ChildUnderTest child = ChildUnderTest.start()) {
            child.awaitHello();
            child.task(5, "sleep", "{\"ms\": 600000}");
            assertThat(child.poll(Duration.ofMillis(300))).isNull();

            child.send(new Frame.Cancel(4)); // another job: ignored
            assertThat(child.poll(Duration.ofMillis(300))).isNull();
            long sent = System.nanoTime();
            child.send(new Frame.Cancel(5));

            assertThat(child.awaitResult()).isEqualTo(new Frame.Result(5, false, "cancelled"));
            assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(Duration.ofSeconds(5));
            assertThat(child.run(6, "sleep", "{\"ms\": 10}").ok()).as("a late cancel does not hit the next task").isTrue();
        }
    }

    @Test
    void cancelInterruptsSha256() {
        try (ChildUnderTest child = ChildUnderTest.start()) {
            child.awaitHello();
            child.task(5, "sha256", "{\"mib\": 4096}");
            assertThat(child.poll(Duration.ofMillis(300))).isNull();
            child.send(new Frame.Cancel(5));

            assertThat(child.awaitResult()).isEqualTo(new Frame.Result(5, false, "cancelled"));
        }
    }

    @Test
    void shutdownLetsTheRunningTaskFinishThenExitsZero() {
        try (ChildUnderTest child = ChildUnderTest.start()) {
            child.awaitHello();
            child.task(1, "sleep", "{\"ms\": 500}");
            child.send(new Frame.Shutdown());
            child.closeStdin(); // as the service does: shutdown frame, then close stdin

            assertThat(child.awaitResult()).isEqualTo(new Frame.Result(1, true, "slept 500 ms"));
            assertThat(child.awaitExit(BOUND)).isEqualTo(0);
        }
    }

    @Test
    void shutdownWhenIdleExitsZeroAtOnce() {
        try (ChildUnderTest child = ChildUnderTest.start()) {
            child.awaitHello();
            child.send(new Frame.Shutdown());

            assertThat(child.awaitExit(BOUND)).isEqualTo(0);
            child.awaitStderr(line -> line.equals("quiesce-child: exit 0: shutdown requested"));
        }
    }

    @Test
    void aTaskWhileBusyIsAProtocolErrorAndTheChildExitsTwo() {
        try (ChildUnderTest child = ChildUnderTest.start()) {
            child.awaitHello();
            child.task(1, "sleep", "{\"ms\": 60000}");
            child.task(2, "noop", "{}");

            assertThat(child.awaitExit(BOUND)).isEqualTo(ChildExitCode.PROTOCOL_ERROR.code());
            child.awaitStderr(line -> line.contains("task for job 2 while job 1 is running"));
        }
    }

    @Test
    void aMalformedFrameFromTheServiceMakesTheChildExitTwo() {
        try (ChildUnderTest child = ChildUnderTest.start()) {
            child.awaitHello();
            child.sendRaw(new byte[] {0, 0, 0, 1, 42});

            assertThat(child.awaitExit(BOUND)).isEqualTo(ChildExitCode.PROTOCOL_ERROR.code());
            child.awaitStderr(line -> line.contains("malformed frame from the service: unknown frame type 42"));
        }
    }

    @Test
    void closingStdinMakesAnIdleChildExitAtOnce() {
        try (ChildUnderTest child = ChildUnderTest.start()) {
            child.awaitHello();
            child.run(1, "noop", "{}"); // start-up work done
            long closed = System.nanoTime();
            child.closeStdin();

            assertThat(child.awaitExit(BOUND)).isEqualTo(0);
            System.err.printf("stdin EOF -> exit of an idle child: %d ms%n", (System.nanoTime() - closed) / 1_000_000);
        }
    }

    @Test
    void whatATaskPrintsOnSystemOutGoesToStderrNotIntoTheProtocol() {
        try (ChildUnderTest child = ChildUnderTest.start()) {
            child.awaitHello();
            Frame.Result spawned = child.run(1, "spawn", "{\"seconds\": 30}"); // prints a line on System.out

            assertThat(spawned.ok()).isTrue();
            child.awaitStderr(line -> line.equals("spawn task of job 1: started sleep 30 as pid " + spawned.text()));
            for (int i = 2; i < 200; i++) {
                assertThat(child.run(i, "noop", "{}")).isEqualTo(new Frame.Result(i, true, "ok"));
            }
            assertThat(child.poll(Duration.ofMillis(100))).isNull();
        }
    }

    @Test
    void aChildWhoseParentIsNotTheOneNamedHaltsAtOnce() {
        try (ChildUnderTest child = ChildUnderTest.start(List.of(), "1")) {
            // stdin stays open: only the parent check can make it exit.
            assertThat(child.awaitExit(BOUND)).isEqualTo(ChildExitCode.ORPHANED_AT_START.code());
            child.awaitStderr(line -> line.startsWith("quiesce-child: exit 4: parent 1 is not this process's parent"));
        }
    }

    /** A failed result: its summary line, then the task's stack trace after the separator (the service stores them apart). */
    static void assertFailed(Frame.Result result, long jobId, String summary, String traceLine) {
        assertThat(result.jobId()).isEqualTo(jobId);
        assertThat(result.ok()).isFalse();
        assertThat(result.text()).startsWith(summary + Frame.Result.TRACE_SEPARATOR);
        assertThat(result.text().substring(summary.length() + Frame.Result.TRACE_SEPARATOR.length())).contains(traceLine);
    }
}

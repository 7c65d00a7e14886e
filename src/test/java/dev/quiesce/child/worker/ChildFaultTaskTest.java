package dev.quiesce.child.worker;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The fault tasks do to a real child JVM what they promise, and the service side sees it. */
class ChildFaultTaskTest {

    private static final Duration BOUND = Duration.ofSeconds(30);

    @Test
    void crashHaltsTheChildWithCodeThirteenAndNoResult() {
        try (ChildUnderTest child = ChildUnderTest.start()) {
            child.awaitHello();
            child.task(1, "crash", "{}");

            assertThat(child.next(ChildUnderTest.Ending.class, BOUND).cause()).as("a clean end of stream").isNull();
            assertThat(child.awaitExit(BOUND)).isEqualTo(ChildExitCode.CRASH_TASK.code()).isNotZero();
        }
    }

    @Test
    void exitEndsTheChildWithStatusZeroMidTaskWithoutAResult() {
        try (ChildUnderTest child = ChildUnderTest.start()) {
            child.awaitHello();
            child.task(1, "exit", "{}");

            assertThat(child.next(ChildUnderTest.Ending.class, BOUND).cause()).isNull();
            assertThat(child.awaitExit(BOUND)).isZero();
        }
    }

    @Test
    void hangIgnoresCancelUntilTheChildIsKilled() {
        try (ChildUnderTest child = ChildUnderTest.start()) {
            child.awaitHello();
            child.task(1, "hang", "{}");
            assertThat(child.poll(Duration.ofMillis(300))).isNull();
            child.send(new Frame.Cancel(1));

            assertThat(child.poll(Duration.ofSeconds(1))).as("no result after the cancel").isNull();
            assertThat(child.process().isAlive()).isTrue();

            child.process().toHandle().destroy(); // SIGTERM: the shutdown hook runs, the JVM exits 143
            assertThat(child.awaitExit(BOUND)).isEqualTo(ChildExitCode.TERMINATED.code());
        }
    }

    @Test
    void hangEvenOutlivesAShutdownFrame() {
        try (ChildUnderTest child = ChildUnderTest.start()) {
            child.awaitHello();
            child.task(1, "hang", "{}");
            child.send(new Frame.Shutdown());
            child.closeStdin();

            assertThat(child.poll(Duration.ofSeconds(1))).isNull();
            assertThat(child.process().isAlive()).as("waits for its task, as asked; the service escalates").isTrue();
        }
    }

    @Test
    void oomExitsWithCodeThreeUnderExitOnOutOfMemoryErrorAndACleanEndOfStreamWithVmOutputOnStderr() {
        try (ChildUnderTest child = ChildUnderTest.start(List.of("-Xmx32m", "-XX:+ExitOnOutOfMemoryError",
                "-XX:+DisplayVMOutputToStderr"), String.valueOf(ProcessHandle.current().pid()))) {
            child.awaitHello();
            child.task(1, "oom", "{}");

            assertThat(child.next(ChildUnderTest.Ending.class, BOUND).cause()).isNull();
            assertThat(child.awaitExit(BOUND)).isEqualTo(ChildExitCode.OUT_OF_MEMORY.code());
            child.awaitStderr(line -> line.equals("Terminating due to java.lang.OutOfMemoryError: Java heap space"));
        }
    }

    /** Why the child's JVM options need -XX:+DisplayVMOutputToStderr: HotSpot prints its own messages on fd 1. */
    @Test
    void withoutDisplayVmOutputToStderrHotSpotsOomMessageLandsInTheProtocolStream() {
        try (ChildUnderTest child = ChildUnderTest.start(List.of("-Xmx32m", "-XX:+ExitOnOutOfMemoryError"),
                String.valueOf(ProcessHandle.current().pid()))) {
            child.awaitHello();
            child.task(1, "oom", "{}");

            assertThat(child.next(ChildUnderTest.Ending.class, BOUND).cause()).isInstanceOf(ProtocolException.class);
            assertThat(child.awaitExit(BOUND)).isEqualTo(ChildExitCode.OUT_OF_MEMORY.code());
        }
    }

    @Test
    void oomWithoutExitOnOutOfMemoryErrorFailsTheTaskAndTheChildServesOn() {
        try (ChildUnderTest child = ChildUnderTest.start(List.of("-Xmx32m"), String.valueOf(ProcessHandle.current().pid()))) {
            child.awaitHello();

            ChildProtocolTest.assertFailed(child.run(1, "oom", "{}"), 1, "OutOfMemoryError: Java heap space", "at dev.quiesce.child.worker.task.OomTask.run(");
            assertThat(child.run(2, "sha256", "{\"mib\": 2}").ok()).isTrue();
        }
    }

    @Test
    void garbageMakesTheServicesNextReadAProtocolError() {
        try (ChildUnderTest child = ChildUnderTest.start()) {
            child.awaitHello();
            child.task(1, "garbage", "{}");

            ChildUnderTest.Ending ending = child.next(ChildUnderTest.Ending.class, BOUND);
            assertThat(ending.cause()).isInstanceOf(ProtocolException.class).hasMessageContaining("frame length");
        }
    }
}

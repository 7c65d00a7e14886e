package dev.quiesce.dispatch;

import dev.quiesce.job.Job;
import dev.quiesce.api.JobState;
import dev.quiesce.leak.LeakKind;
import dev.quiesce.leak.Leaks;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** What an in-process job leaves behind — threads, scratch files — is found after it and blamed on it alone. */
class JobLeaksTest {

    private final Leaks leaks = new Leaks(new SimpleMeterRegistry());
    private final JobThreads jobThreads = new JobThreads(leaks);
    private final ExecutorService runner = Executors.newFixedThreadPool(2, jobThreads);
    private final CountDownLatch release = new CountDownLatch(1);

    @TempDir
    Path scratchRoot;

    @AfterEach
    void stop() {
        release.countDown();
        runner.shutdownNow();
    }

    @Test
    void aThreadAJobStartsAndLeavesRunningIsCountedAsThatJobsLeak() throws Exception {
        Thread left = onRunner(() -> startParked("left-by-job-1", false), execution(1)).get(10, TimeUnit.SECONDS);

        assertThat(leaks.outstandingKeys(LeakKind.THREAD)).containsExactly(left);
        assertThat(leaks.caused()).containsEntry(LeakKind.THREAD, 1L);
    }

    @Test
    void threadsStartedByTheThreadsAJobLeftAreTheJobsToo() throws Exception {
        onRunner(() -> startParked("outer", true, () -> startParked("inner", true)), execution(1)).get(10, TimeUnit.SECONDS);

        assertThat(leaks.outstandingKeys(LeakKind.THREAD)).extracting(t -> ((Thread) t).getName()).containsExactlyInAnyOrder("outer", "inner");
    }

    @Test
    void aJobThatLeavesNothingIsNotBlamedForThreadsAnotherJobLeftOnAnotherRunnerThread() throws Exception {
        CountDownLatch firstLeft = new CountDownLatch(1);
        CompletableFuture<Thread> leaky = onRunner(() -> {
            Thread thread = startParked("left-by-job-1", true);
            firstLeft.countDown();
            return thread;
        }, execution(1));
        firstLeft.await(10, TimeUnit.SECONDS);
        onRunner(() -> null, execution(2)).get(10, TimeUnit.SECONDS);
        leaky.get(10, TimeUnit.SECONDS);

        assertThat(leaks.detected().get(LeakKind.THREAD)).isEqualTo(1);
    }

    @Test
    void aLeftThreadThatEndsIsNoLongerOutstanding() throws Exception {
        Thread left = onRunner(() -> startParked("left", true), execution(1)).get(10, TimeUnit.SECONDS);

        release.countDown();
        left.join(10_000);

        assertThat(leaks.outstanding()).containsEntry(LeakKind.THREAD, 0L);
        assertThat(leaks.caused()).containsEntry(LeakKind.THREAD, 1L);
    }

    @Test
    void aJobThatLeftFilesInItsScratchDirectoryHasItRemovedAndCounted() throws Exception {
        ExecutionContext context = new ExecutionContext(execution(5), scratchRoot, leaks);
        Path dir = context.scratchDir();
        Files.writeString(dir.resolve("forgotten.tmp"), "x");

        context.cleanUp();

        assertThat(dir).doesNotExist();
        assertThat(leaks.caused()).containsEntry(LeakKind.SCRATCH_DIR, 1L);
        assertThat(leaks.outstanding()).containsEntry(LeakKind.SCRATCH_DIR, 0L);
    }

    @Test
    void aJobThatEmptiedItsScratchDirectoryLeakedNothing() throws Exception {
        ExecutionContext context = new ExecutionContext(execution(6), scratchRoot, leaks);
        Path dir = context.scratchDir();

        context.cleanUp();

        assertThat(dir).doesNotExist();
        assertThat(leaks.caused()).containsEntry(LeakKind.SCRATCH_DIR, 0L);
    }

    @Test
    void scratchDirectoriesAPreviousRunLeftAreRemovedAtStartUpAsItsLeaksAndThoseLeftAtShutdownAsThisRunsOwn() throws Exception {
        for (int i : IntStream.range(0, 2).toArray()) {
            Files.createDirectories(scratchRoot.resolve("job-" + i + "-attempt-1")).resolve("f").toFile().createNewFile();
        }
        ScratchDirectories scratch = new ScratchDirectories(scratchRoot);

        scratch.clearPreviousRun(leaks);
        assertThat(leaks.inherited()).containsEntry(LeakKind.SCRATCH_DIR, 2L);

        Files.createDirectories(scratchRoot.resolve("job-9-attempt-1"));
        scratch.check(leaks);

        assertThat(leaks.caused()).containsEntry(LeakKind.SCRATCH_DIR, 1L);
        try (var left = Files.list(scratchRoot)) {
            assertThat(left).isEmpty();
        }
    }

    private <T> CompletableFuture<T> onRunner(java.util.concurrent.Callable<T> job, Execution execution) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return job.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                jobThreads.afterJob(execution);
            }
        }, runner);
    }

    private Thread startParked(String name, boolean daemon) {
        return startParked(name, daemon, () -> null);
    }

    private Thread startParked(String name, boolean daemon, java.util.function.Supplier<?> first) {
        CountDownLatch started = new CountDownLatch(1);
        Thread thread = new Thread(() -> {
            first.get();
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        thread.setDaemon(daemon);
        thread.start();
        try {
            started.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return thread;
    }

    private static Execution execution(long id) {
        Instant now = Instant.now();
        Job job = new Job(id, "leave-thread", JobState.RUNNING, "{}", 0, 1, 5, 0, 0, "me", null, null, null, now, now, now, null);
        return new Execution(job, null);
    }
}

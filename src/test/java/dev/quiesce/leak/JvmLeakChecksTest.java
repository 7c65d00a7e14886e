package dev.quiesce.leak;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/** The JVM-wide shutdown checks, against this test JVM's real threads and descriptors. */
class JvmLeakChecksTest {

    private final Leaks leaks = new Leaks(new SimpleMeterRegistry());
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<FileChannel> opened = new ArrayList<>();

    @AfterEach
    void cleanUp() throws IOException {
        release.countDown();
        for (FileChannel channel : opened) {
            channel.close();
        }
    }

    @Test
    void aNonDaemonThreadStillRunningIsALeakAndADaemonOneIsNot() {
        Thread nonDaemon = park("left-non-daemon", false);
        Thread daemon = park("left-daemon", true);

        new JvmThreadCheck().check(leaks);

        assertThat(leaks.outstandingKeys(LeakKind.THREAD)).contains(nonDaemon).doesNotContain(daemon, Thread.currentThread());
    }

    @Test
    void aThreadAlreadyRunningWhenTheServiceBecameReadyIsInfrastructureNotALeak() {
        Thread infrastructure = park("management-server-like", false);
        JvmThreadCheck check = new JvmThreadCheck();
        check.baseline();
        Thread later = park("started-later", false);

        check.check(leaks);

        assertThat(leaks.outstandingKeys(LeakKind.THREAD)).contains(later).doesNotContain(infrastructure);
    }

    @Test
    void aThreadCountedOnceIsNotCountedAgainAndStopsBeingOutstandingWhenItEnds() throws InterruptedException {
        Thread nonDaemon = park("left-non-daemon", false);
        new JvmThreadCheck().check(leaks);
        long counted = leaks.detected().get(LeakKind.THREAD);

        new JvmThreadCheck().check(leaks);
        assertThat(leaks.detected().get(LeakKind.THREAD)).isEqualTo(counted);

        release.countDown();
        nonDaemon.join();
        assertThat(leaks.outstandingKeys(LeakKind.THREAD)).doesNotContain(nonDaemon);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void descriptorsOpenedAfterTheBaselineBeyondTheToleranceAreLeaks() throws IOException {
        FileDescriptorCheck check = new FileDescriptorCheck(5);
        check.baseline();
        open(20);

        check.check(leaks);

        assertThat(leaks.detected().get(LeakKind.FILE_DESCRIPTOR)).isGreaterThanOrEqualTo(20);
        assertThat(leaks.outstandingKeys(LeakKind.FILE_DESCRIPTOR)).anySatisfy(key -> assertThat(key.toString()).contains("/dev/null"));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aDescriptorNumberReusedForAnotherFileCountsAsNew() throws IOException {
        FileChannel closedLater = FileChannel.open(Path.of("/proc/self/stat"));
        FileDescriptorCheck check = new FileDescriptorCheck(0);
        check.baseline();
        closedLater.close();
        open(1); // takes the lowest free number: the one just closed

        check.check(leaks);

        assertThat(leaks.outstandingKeys(LeakKind.FILE_DESCRIPTOR)).as("the reused number, now /dev/null")
                .anySatisfy(key -> assertThat(key.toString()).endsWith("-> /dev/null"));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void descriptorsWithinTheToleranceAreForgiven() throws IOException {
        FileDescriptorCheck check = new FileDescriptorCheck(50);
        check.baseline();
        open(3);

        check.check(leaks);

        assertThat(leaks.detected().get(LeakKind.FILE_DESCRIPTOR)).isZero();
    }

    private void open(int count) throws IOException {
        for (int i = 0; i < count; i++) {
            opened.add(FileChannel.open(Path.of("/dev/null")));
        }
    }

    private Thread park(String name, boolean daemon) {
        Thread thread = new Thread(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        thread.setDaemon(daemon);
        thread.start();
        return thread;
    }
}

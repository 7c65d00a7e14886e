package dev.quiesce.leak;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class LeaksTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Leaks leaks = new Leaks(registry);

    @Test
    void everyKindHasItsThreeMetersAtZeroFromTheStart() {
        for (LeakKind kind : LeakKind.values()) {
            assertThat(registry.get("quiesce.leaks.detected").tag("kind", kind.tag()).counter().count()).isZero();
            assertThat(registry.get("quiesce.leaks.reclaimed").tag("kind", kind.tag()).counter().count()).isZero();
            assertThat(registry.get("quiesce.leaked.resources").tag("kind", kind.tag()).gauge().value()).isZero();
        }
        assertThat(leaks.outstanding()).hasSize(LeakKind.values().length).allSatisfy((kind, count) -> assertThat(count).isZero());
    }

    @Test
    void aLeakFoundTwiceUnderTheSameKeyIsCountedOnce() {
        assertThat(leaks.detected(LeakKind.THREAD, "t1", "thread t1")).isTrue();
        assertThat(leaks.detected(LeakKind.THREAD, "t1", "thread t1 again, by the audit")).isFalse();

        assertThat(detected(LeakKind.THREAD)).isEqualTo(1);
        assertThat(outstandingGauge(LeakKind.THREAD)).isEqualTo(1);
    }

    @Test
    void aLeakThatGoesAwayOnItsOwnIsNoLongerOutstandingButStaysCounted() {
        AtomicBoolean alive = new AtomicBoolean(true);
        leaks.detected(LeakKind.THREAD, "t1", "thread t1", alive::get);
        assertThat(outstandingGauge(LeakKind.THREAD)).isEqualTo(1);

        alive.set(false);

        assertThat(outstandingGauge(LeakKind.THREAD)).isZero();
        assertThat(leaks.outstanding()).containsEntry(LeakKind.THREAD, 0L);
        assertThat(detected(LeakKind.THREAD)).isEqualTo(1);
        assertThat(leaks.caused()).containsEntry(LeakKind.THREAD, 1L);
    }

    @Test
    void aLeakReclaimedLaterLeavesTheGaugeAndCountsAsReclaimed() {
        leaks.detected(LeakKind.JOB_LEASE, 7L, "lease of job 7");

        assertThat(leaks.reclaimedLater(LeakKind.JOB_LEASE, 7L)).isTrue();
        assertThat(leaks.reclaimedLater(LeakKind.JOB_LEASE, 7L)).as("only once").isFalse();

        assertThat(outstandingGauge(LeakKind.JOB_LEASE)).isZero();
        assertThat(registry.get("quiesce.leaks.reclaimed").tag("kind", "job_lease").counter().count()).isEqualTo(1);
    }

    @Test
    void leaksReclaimedAtOnceAreCountedButNeverOutstanding() {
        leaks.reclaimed(LeakKind.SCRATCH_DIR, 2, "directories, removed");
        leaks.reclaimed(LeakKind.SCRATCH_DIR, 0, "nothing");

        assertThat(detected(LeakKind.SCRATCH_DIR)).isEqualTo(2);
        assertThat(registry.get("quiesce.leaks.reclaimed").tag("kind", "scratch_dir").counter().count()).isEqualTo(2);
        assertThat(outstandingGauge(LeakKind.SCRATCH_DIR)).isZero();
    }

    @Test
    void leaksOfAPreviousRunAreCountedButKeptApartFromThisRunsOwn() {
        leaks.inherited(LeakKind.PREVIOUS_RUN_PROCESS, 2, "processes of a previous run, killed");
        leaks.inherited(LeakKind.JOB_LEASE, 3, "leases of a previous run, handed back");
        leaks.reclaimed(LeakKind.JOB_LEASE, 1, "a lease held at shutdown, released");

        assertThat(detected(LeakKind.JOB_LEASE)).isEqualTo(4);
        assertThat(leaks.inherited()).containsEntry(LeakKind.PREVIOUS_RUN_PROCESS, 2L).containsEntry(LeakKind.JOB_LEASE, 3L);
        assertThat(leaks.caused()).containsEntry(LeakKind.PREVIOUS_RUN_PROCESS, 0L).containsEntry(LeakKind.JOB_LEASE, 1L);
    }

    @Test
    void manyLeaksFoundAtOnceCountOnlyTheNewOnes() {
        leaks.detected(LeakKind.FILE_DESCRIPTOR, "fd 40", "one");

        int added = leaks.detectedAll(LeakKind.FILE_DESCRIPTOR, List.of("fd 40", "fd 41", "fd 42"), "three, one known");

        assertThat(added).isEqualTo(2);
        assertThat(detected(LeakKind.FILE_DESCRIPTOR)).isEqualTo(3);
        assertThat(leaks.outstandingKeys(LeakKind.FILE_DESCRIPTOR)).containsExactlyInAnyOrder("fd 40", "fd 41", "fd 42");
    }

    private double detected(LeakKind kind) {
        return registry.get("quiesce.leaks.detected").tag("kind", kind.tag()).counter().count();
    }

    private double outstandingGauge(LeakKind kind) {
        return registry.get("quiesce.leaked.resources").tag("kind", kind.tag()).gauge().value();
    }
}

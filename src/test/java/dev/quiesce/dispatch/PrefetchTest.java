package dev.quiesce.dispatch;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PrefetchTest {

    @Test
    void nothingIsClaimedAheadBeforeAJobHasFinished() {
        assertThat(new Prefetch(64).size(4)).isZero();
    }

    @Test
    void shortJobsFillTheCap() {
        Prefetch prefetch = new Prefetch(64);
        prefetch.observe(20_000);
        assertThat(prefetch.size(2)).isEqualTo(64);
    }

    @Test
    void aClaimedJobWaitsAboutTheHorizonAtMost() {
        Prefetch prefetch = new Prefetch(64);
        prefetch.observe(10_000_000);
        // 4 slots, 10 ms per job: 8 jobs ahead are 20 ms of work.
        assertThat(prefetch.size(4)).isEqualTo(8);
    }

    @Test
    void jobsLongerThanTheHorizonAreNotClaimedAhead() {
        Prefetch prefetch = new Prefetch(64);
        prefetch.observe(5_000_000_000L);
        assertThat(prefetch.size(8)).isZero();
    }

    @Test
    void theMeanFollowsRecentDurations() {
        Prefetch prefetch = new Prefetch(64);
        prefetch.observe(5_000_000_000L);
        for (int i = 0; i < 200; i++) {
            prefetch.observe(1_000_000);
        }
        assertThat(prefetch.size(1)).isBetween(10, 20);
    }

    @Test
    void zeroTurnsItOff() {
        Prefetch prefetch = new Prefetch(0);
        prefetch.observe(1_000);
        assertThat(prefetch.size(8)).isZero();
    }
}

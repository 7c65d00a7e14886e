package dev.quiesce.fleet;

import dev.quiesce.fleet.ListenerSession.OwnerLiveness;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LivenessWatchTest {

    private final LivenessWatch watch = new LivenessWatch();

    @Test
    void anInstanceIsDeadWhenTwoChecksInARowFindTheLockItHeldFree() {
        assertThat(watch.dead(List.of(new OwnerLiveness("a", 7, true, true)))).isEmpty();
        assertThat(watch.dead(List.of(new OwnerLiveness("a", 7, false, true)))).as("first free check").isEmpty();
        assertThat(watch.dead(List.of(new OwnerLiveness("a", 7, false, true)))).containsExactly("a");
    }

    @Test
    void aLockNeverSeenHeldOnThisSessionProvesNothing() {
        // After a database restart: every lock is gone, and this session never saw a's new one.
        assertThat(watch.dead(List.of(new OwnerLiveness("a", 7, false, true)))).isEmpty();
        assertThat(watch.dead(List.of(new OwnerLiveness("a", 7, false, true)))).isEmpty();
        watch.dead(List.of(new OwnerLiveness("a", 7, true, true)));
        watch.reset();
        assertThat(watch.dead(List.of(new OwnerLiveness("a", 7, false, true)))).as("after a reconnection").isEmpty();
        assertThat(watch.dead(List.of(new OwnerLiveness("a", 7, false, true)))).isEmpty();
    }

    @Test
    void aLockHeldAgainOrUnderANewKeyBetweenTwoChecksSavesTheInstance() {
        watch.dead(List.of(new OwnerLiveness("a", 7, true, true)));
        watch.dead(List.of(new OwnerLiveness("a", 7, false, true)));
        assertThat(watch.dead(List.of(new OwnerLiveness("a", 7, true, true)))).isEmpty();
        assertThat(watch.dead(List.of(new OwnerLiveness("a", 7, false, true)))).isEmpty();
        assertThat(watch.dead(List.of(new OwnerLiveness("a", 8, false, true)))).as("a new key, never seen held").isEmpty();
        assertThat(watch.dead(List.of(new OwnerLiveness("a", 8, false, true)))).isEmpty();
    }

    @Test
    void aDeadInstanceWithoutRunningJobsNeedsNoRescue() {
        watch.dead(List.of(new OwnerLiveness("a", 7, true, false)));
        watch.dead(List.of(new OwnerLiveness("a", 7, false, false)));
        assertThat(watch.dead(List.of(new OwnerLiveness("a", 7, false, false)))).isEmpty();
        assertThat(watch.dead(List.of(new OwnerLiveness("a", 7, false, true)))).as("once it holds jobs").containsExactly("a");
    }
}

package dev.quiesce.dispatch;

import dev.quiesce.api.JobState;
import dev.quiesce.job.Job;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

class BacklogTest {

    @Test
    void jobsComeOutInClaimOrder() {
        Backlog backlog = new Backlog();
        backlog.offer(List.of(job(1), job(2)));
        backlog.offer(List.of(job(3)));

        assertThat(backlog.poll().id()).isEqualTo(1);
        assertThat(backlog.poll().id()).isEqualTo(2);
        assertThat(backlog.poll().id()).isEqualTo(3);
        assertThat(backlog.poll()).isNull();
    }

    @Test
    void aClosedBacklogGivesBackWhatItHeldAndRefusesClaimsUntilOpened() {
        Backlog backlog = new Backlog();
        backlog.offer(List.of(job(1), job(2)));

        assertThat(backlog.close()).extracting(Job::id).containsExactly(1L, 2L);
        assertThat(backlog.offer(List.of(job(3)))).isFalse();
        assertThat(backlog.isEmpty()).isTrue();

        backlog.open();
        assertThat(backlog.offer(List.of(job(4)))).isTrue();
        assertThat(backlog.size()).isEqualTo(1);
    }

    @Test
    void onlyJobsThatWaitedLongerThanTheLimitAreTakenOut() {
        Backlog backlog = new Backlog();
        backlog.offer(List.of(job(1)));
        LockSupport.parkNanos(30_000_000L);
        backlog.offer(List.of(job(2)));

        assertThat(backlog.takeWaitingLongerThan(20_000_000L)).extracting(Job::id).containsExactly(1L);
        assertThat(backlog.poll().id()).isEqualTo(2);
    }

    private static Job job(long id) {
        Instant now = Instant.now();
        return new Job(id, "sleep", JobState.RUNNING, "{}", 0, 1, 5, 0, 0, "me", null, null, null, now, now, now, null);
    }
}

package dev.quiesce.console;

import dev.quiesce.api.JobState;
import dev.quiesce.queue.QueueOverview;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OverviewViewTest {

    private static final FleetSummary FLEET = new FleetSummary(1, 0, 0, 0, 0, "claiming");

    @Test
    void eachTypeCountsWhatWaitsAndRunsNowAndWhatFinishedWithinTheHourAndTheTotalsAddThemUp() {
        QueueOverview.Snapshot snapshot = snapshot(
                Map.of("sleep", Map.of(JobState.QUEUED, 5L, JobState.RUNNING, 2L), "fail", Map.of(JobState.QUEUED, 1L)),
                Map.of("sleep", Map.of(JobState.SUCCEEDED, 40L), "sha256", Map.of(JobState.FAILED, 3L, JobState.CANCELLED, 1L)),
                3);

        OverviewView view = OverviewView.of(snapshot, FLEET, null);

        assertThat(view.types()).extracting(OverviewView.TypeRow::type).containsExactly("fail", "sha256", "sleep");
        assertThat(view.types().get(2).counts()).containsExactly(5L, 2L, 40L, 0L, 0L);
        assertThat(view.totals()).extracting(OverviewView.Cell::count).containsExactly(6L, 2L, 40L, 3L, 1L);
        assertThat(view.totals()).extracting(OverviewView.Cell::state).containsExactly(JobState.values());
        assertThat(view.failedTotal()).isEqualTo("3");
        assertThat(view.oldestReady()).isEqualTo("4.5 s");
        assertThat(view.lastShutdown()).isNull();
    }

    @Test
    void failedJobsPastTheCountTheQueueStopsAtAreShownAsAtLeastThat() {
        OverviewView view = OverviewView.of(snapshot(Map.of(), Map.of(), OverviewView.FAILED_COUNTED_UP_TO), FLEET, null);

        assertThat(view.failedTotal()).isEqualTo("100000+");
        assertThat(view.types()).isEmpty();
        assertThat(view.totals()).allSatisfy(cell -> assertThat(cell.count()).isZero());
    }

    private static QueueOverview.Snapshot snapshot(Map<String, Map<JobState, Long>> active,
                                                   Map<String, Map<JobState, Long>> lastHour, long failed) {
        return new QueueOverview.Snapshot(Instant.parse("2026-12-06T22:00:00Z"), active, lastHour,
                List.of(new QueueOverview.Minute(Instant.parse("2026-12-06T21:59:00Z"), 40, 3, 1)),
                Duration.ofMillis(4_500), 0, failed);
    }
}

package dev.quiesce.console;

import dev.quiesce.queue.QueueOverview.Minute;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MinuteChartTest {

    private static final Instant START = Instant.parse("2026-12-06T21:00:00Z");

    @Test
    void theBusiestMinuteFillsTheHeightAndFailuresStackOnTopOfSuccesses() {
        List<Minute> minutes = hour();
        minutes.set(10, minute(10, 30, 10));
        minutes.set(59, minute(59, 20, 0));

        MinuteChart chart = MinuteChart.of(minutes);

        assertThat(chart.max()).isEqualTo(40);
        assertThat(chart.width()).isEqualTo(60 * MinuteChart.SLOT);
        assertThat(chart.bars()).hasSize(3);
        MinuteChart.Bar succeeded = chart.bars().get(0);
        MinuteChart.Bar failed = chart.bars().get(1);
        assertThat(succeeded.kind()).isEqualTo("succeeded");
        assertThat(succeeded.x()).isEqualTo(10 * MinuteChart.SLOT + 1);
        assertThat(succeeded.height()).isEqualTo(90);
        assertThat(succeeded.y() + succeeded.height()).as("stands on the baseline").isEqualTo(MinuteChart.HEIGHT);
        assertThat(failed.kind()).isEqualTo("failed");
        assertThat(failed.y() + failed.height()).as("sits on the successes").isEqualTo(succeeded.y());
        assertThat(failed.y()).as("the busiest minute reaches the top").isZero();
        assertThat(failed.title()).isEqualTo("21:10 UTC: 30 succeeded, 10 failed");
        assertThat(chart.bars().get(2).height()).isEqualTo(60);
    }

    @Test
    void oneFailureBesideAThousandSuccessesStaysVisibleAndTheStackNeverOverflows() {
        List<Minute> minutes = hour();
        minutes.set(0, minute(0, 1000, 1));
        minutes.set(1, minute(1, 1, 0));

        MinuteChart chart = MinuteChart.of(minutes);

        assertThat(chart.bars()).filteredOn(bar -> bar.kind().equals("failed")).singleElement()
                .satisfies(bar -> assertThat(bar.height()).isEqualTo(1))
                .satisfies(bar -> assertThat(bar.y()).isGreaterThanOrEqualTo(0));
        assertThat(chart.bars()).filteredOn(bar -> bar.x() == MinuteChart.SLOT + 1).singleElement()
                .satisfies(bar -> assertThat(bar.height()).isEqualTo(1));
    }

    @Test
    void aQuietHourHasNoBars() {
        MinuteChart chart = MinuteChart.of(hour());

        assertThat(chart.bars()).isEmpty();
        assertThat(chart.max()).isZero();
    }

    private static List<Minute> hour() {
        List<Minute> minutes = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            minutes.add(minute(i, 0, 0));
        }
        return minutes;
    }

    private static Minute minute(int i, long succeeded, long failed) {
        return new Minute(START.plusSeconds(60L * i), succeeded, failed, 0);
    }
}

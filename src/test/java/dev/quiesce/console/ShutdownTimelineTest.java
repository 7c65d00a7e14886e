package dev.quiesce.console;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ShutdownTimelineTest {

    private static final int PLOT = ShutdownTimeline.WIDTH - ShutdownTimeline.PLOT_X - 10;

    @Test
    void phasesFollowEachOtherOnAnAxisAsLongAsTheBudgetWhenTheShutdownFitIt() {
        ShutdownTimeline timeline = ShutdownTimeline.of(phases(10_000, 2_000, 3_000, 100),
                Duration.ofSeconds(20), Duration.ofMillis(15_100));

        assertThat(timeline.axis()).isEqualTo(Duration.ofSeconds(20));
        assertThat(timeline.budgetX()).isEqualTo(ShutdownTimeline.PLOT_X + PLOT);
        assertThat(timeline.tookX()).isCloseTo(ShutdownTimeline.PLOT_X + PLOT * 15.1 / 20, within());
        assertThat(timeline.phases()).extracting(ShutdownTimeline.Phase::name)
                .containsExactly("dispatch", "web_server", "children", "audit");
        ShutdownTimeline.Phase dispatch = timeline.phases().get(0);
        ShutdownTimeline.Phase web = timeline.phases().get(1);
        ShutdownTimeline.Phase children = timeline.phases().get(2);
        assertThat(dispatch.x()).isEqualTo(ShutdownTimeline.PLOT_X);
        assertThat(dispatch.width()).isCloseTo(PLOT / 2.0, within());
        assertThat(web.x()).as("the web server stops where the dispatcher finished").isCloseTo(dispatch.x() + dispatch.width(), within());
        assertThat(children.x()).isCloseTo(ShutdownTimeline.PLOT_X + PLOT * 12 / 20.0, within());
        assertThat(timeline.phases()).noneMatch(ShutdownTimeline.Phase::over);
        assertThat(timeline.phases()).extracting(ShutdownTimeline.Phase::y).doesNotHaveDuplicates();
    }

    @Test
    void anOverrunStretchesTheAxisToWhatItTookAndMarksThePhasesThatEndedPastTheBudget() {
        ShutdownTimeline timeline = ShutdownTimeline.of(phases(25_000, 1_000, 4_000, 0),
                Duration.ofSeconds(20), Duration.ofSeconds(30));

        assertThat(timeline.axis()).isEqualTo(Duration.ofSeconds(30));
        assertThat(timeline.tookX()).isEqualTo(ShutdownTimeline.PLOT_X + PLOT);
        assertThat(timeline.budgetX()).isCloseTo(ShutdownTimeline.PLOT_X + PLOT * 20 / 30.0, within());
        assertThat(timeline.phases()).extracting(ShutdownTimeline.Phase::over).containsExactly(true, true, true, true);
        assertThat(timeline.ticks()).first().extracting(ShutdownTimeline.Tick::label).isEqualTo("0 ms");
        assertThat(timeline.ticks()).last().extracting(ShutdownTimeline.Tick::label).isEqualTo("30.0 s");
    }

    @Test
    void aPhaseOfAFewMillisecondsStaysVisibleAndTheLaterPhasesAreNotPushedByIt() {
        ShutdownTimeline timeline = ShutdownTimeline.of(phases(2, 0, 1_000, 3), Duration.ofSeconds(30), Duration.ofMillis(1_005));

        assertThat(timeline.phases()).allSatisfy(phase -> assertThat(phase.width()).isGreaterThanOrEqualTo(1));
        assertThat(timeline.phases().get(2).x()).as("children start 2 ms in").isCloseTo(ShutdownTimeline.PLOT_X, within());
        assertThat(timeline.phases().get(0).title()).isEqualTo("dispatch: 2 ms (from 0 ms)");
    }

    @Test
    void aReportWithoutTimeStillDraws() {
        ShutdownTimeline timeline = ShutdownTimeline.of(phases(0, 0, 0, 0), Duration.ZERO, Duration.ZERO);

        assertThat(timeline.phases()).hasSize(4).allSatisfy(phase -> assertThat(phase.x()).isEqualTo(ShutdownTimeline.PLOT_X));
        assertThat(timeline.budgetX()).isEqualTo(ShutdownTimeline.PLOT_X);
    }

    private static Map<String, Duration> phases(long dispatch, long web, long children, long audit) {
        Map<String, Duration> phases = new LinkedHashMap<>();
        phases.put("dispatch", Duration.ofMillis(dispatch));
        phases.put("web_server", Duration.ofMillis(web));
        phases.put("children", Duration.ofMillis(children));
        phases.put("audit", Duration.ofMillis(audit));
        return phases;
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(0.11);
    }
}

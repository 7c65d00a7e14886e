package dev.quiesce.console;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PhaseChartTest {

    private static final int PLOT = PhaseChart.WIDTH - PhaseChart.PLOT_X - PhaseChart.RIGHT;

    @Test
    void phasesFollowEachOtherOnAnAxisAsLongAsTheBudgetWhenTheShutdownFitIt() {
        PhaseChart timeline = PhaseChart.of(phases(10_000, 2_000, 3_000, 100),
                Duration.ofSeconds(20), Duration.ofMillis(15_100));

        assertThat(timeline.axis()).isEqualTo(Duration.ofSeconds(20));
        assertThat(timeline.budgetX()).isEqualTo(PhaseChart.PLOT_X + PLOT);
        assertThat(timeline.tookX()).isCloseTo(PhaseChart.PLOT_X + PLOT * 15.1 / 20, within());
        assertThat(timeline.phases()).extracting(PhaseChart.Phase::name)
                .containsExactly("dispatch", "web_server", "children", "audit");
        PhaseChart.Phase dispatch = timeline.phases().get(0);
        PhaseChart.Phase web = timeline.phases().get(1);
        PhaseChart.Phase children = timeline.phases().get(2);
        assertThat(dispatch.x()).isEqualTo(PhaseChart.PLOT_X);
        assertThat(dispatch.width()).isCloseTo(PLOT / 2.0, within());
        assertThat(web.x()).as("the web server stops where the dispatcher finished").isCloseTo(dispatch.x() + dispatch.width(), within());
        assertThat(children.x()).isCloseTo(PhaseChart.PLOT_X + PLOT * 12 / 20.0, within());
        assertThat(timeline.phases()).noneMatch(PhaseChart.Phase::over);
        assertThat(timeline.phases()).extracting(PhaseChart.Phase::y).doesNotHaveDuplicates();
    }

    @Test
    void anOverrunStretchesTheAxisToWhatItTookAndMarksThePhasesThatEndedPastTheBudget() {
        PhaseChart timeline = PhaseChart.of(phases(25_000, 1_000, 4_000, 0),
                Duration.ofSeconds(20), Duration.ofSeconds(30));

        assertThat(timeline.axis()).isEqualTo(Duration.ofSeconds(30));
        assertThat(timeline.tookX()).isEqualTo(PhaseChart.PLOT_X + PLOT);
        assertThat(timeline.budgetX()).isCloseTo(PhaseChart.PLOT_X + PLOT * 20 / 30.0, within());
        assertThat(timeline.phases()).extracting(PhaseChart.Phase::over).containsExactly(true, true, true, true);
        assertThat(timeline.ticks()).first().extracting(PhaseChart.Tick::label).isEqualTo("0 ms");
        assertThat(timeline.ticks()).last().extracting(PhaseChart.Tick::label).isEqualTo("30.0 s");
    }

    @Test
    void aPhaseOfAFewMillisecondsStaysVisibleAndTheLaterPhasesAreNotPushedByIt() {
        PhaseChart timeline = PhaseChart.of(phases(2, 0, 1_000, 3), Duration.ofSeconds(30), Duration.ofMillis(1_005));

        assertThat(timeline.phases()).allSatisfy(phase -> assertThat(phase.width()).isGreaterThanOrEqualTo(1));
        assertThat(timeline.phases().get(2).x()).as("children start 2 ms in").isCloseTo(PhaseChart.PLOT_X, within());
        assertThat(timeline.phases().get(0).title()).isEqualTo("dispatch: 2 ms (from 0 ms)");
        assertThat(timeline.phases().get(2).label()).isEqualTo("children 1.0 s");
    }

    @Test
    void aReportWithoutTimeStillDraws() {
        PhaseChart timeline = PhaseChart.of(phases(0, 0, 0, 0), Duration.ZERO, Duration.ZERO);

        assertThat(timeline.phases()).hasSize(4).allSatisfy(phase -> assertThat(phase.x()).isEqualTo(PhaseChart.PLOT_X));
        assertThat(timeline.budgetX()).isEqualTo(PhaseChart.PLOT_X);
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

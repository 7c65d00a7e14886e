package dev.quiesce.shutdown;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ShutdownTimelineTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ShutdownBudget budget = ShutdownBudget.of(new ShutdownProperties(Duration.ofSeconds(30), Duration.ZERO, null,
            Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(2), null));
    private final ShutdownClock clock = new ShutdownClock(budget);
    private final ShutdownTimeline timeline = new ShutdownTimeline(clock, registry);

    @Test
    void everyPhaseHasItsTimerFromStartUp() {
        for (String phase : ShutdownTimeline.PHASES) {
            assertThat(registry.get("quiesce.shutdown.phase").tag("phase", phase).timer().count()).isZero();
        }
    }

    @Test
    void eachPhaseEndsWhenTheNextBeginsAndIsRecordedOnce() throws InterruptedException {
        clock.deadlines(); // the shutdown starts
        Thread.sleep(30);
        timeline.begin("web_server");
        Thread.sleep(20);
        timeline.begin("web_server"); // a second marker in the same phase changes nothing
        timeline.begin("children");
        timeline.begin("audit");
        timeline.end();

        assertThat(timeline.phases()).containsOnlyKeys(ShutdownTimeline.PHASES);
        assertThat(timeline.phases().keySet()).containsExactlyElementsOf(ShutdownTimeline.PHASES);
        assertThat(timeline.phases().get("dispatch")).isGreaterThanOrEqualTo(Duration.ofMillis(30));
        assertThat(timeline.phases().get("web_server")).isGreaterThanOrEqualTo(Duration.ofMillis(20));
        for (String phase : ShutdownTimeline.PHASES) {
            assertThat(registry.get("quiesce.shutdown.phase").tag("phase", phase).timer().count()).as(phase).isEqualTo(1);
        }
    }

    @Test
    void aShutdownThatReachesTheAuditDirectlyStillReportsEveryPhase() {
        clock.deadlines();
        timeline.end();

        assertThat(timeline.phases().keySet()).containsExactlyElementsOf(ShutdownTimeline.PHASES);
    }
}

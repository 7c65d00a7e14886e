package dev.quiesce.shutdown;

import dev.quiesce.settings.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShutdownBudgetTest {

    private static ShutdownProperties props(int grace, int preStop, Integer drain, int cancel, int child, int margin) {
        return new ShutdownProperties(Duration.ofSeconds(grace), Duration.ofSeconds(preStop),
                drain == null ? null : Duration.ofSeconds(drain), Duration.ofSeconds(cancel), Duration.ofSeconds(child),
                Duration.ofSeconds(margin), null);
    }

    @Test
    void theDrainGetsWhatTheOtherSlicesLeave() {
        ShutdownBudget budget = ShutdownBudget.of(props(30, 5, null, 3, 5, 2));

        assertThat(budget.total()).isEqualTo(Duration.ofSeconds(25));
        assertThat(budget.drain()).isEqualTo(Duration.ofSeconds(15));
        assertThat(budget.dispatchSlice()).isEqualTo(Duration.ofSeconds(18));
    }

    @Test
    void anExplicitDrainTimeoutThatFitsIsKept() {
        assertThat(ShutdownBudget.of(props(30, 0, 10, 5, 5, 2)).drain()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aBudgetThatCannotFitNamesThePropertiesAndTheFix() {
        assertThatThrownBy(() -> ShutdownBudget.of(props(5, 0, null, 5, 10, 2)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("quiesce.shutdown.grace-period (5s)")
                .hasMessageContaining("quiesce.shutdown.child-stop-timeout (10s)")
                .hasMessageContaining("leaves -12s")
                .hasMessageContaining("Raise quiesce.shutdown.grace-period to at least 18s");
    }

    @Test
    void aDrainTimeoutLongerThanWhatIsLeftIsRejected() {
        assertThatThrownBy(() -> ShutdownBudget.of(props(30, 0, 25, 5, 5, 2)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("quiesce.shutdown.drain-timeout (25s)")
                .hasMessageContaining("at most 18s");
    }

    @Test
    void aNegativeSliceIsRejected() {
        assertThatThrownBy(() -> ShutdownBudget.of(props(30, 0, null, -1, 5, 2)))
                .hasMessageContaining("quiesce.shutdown.cancel-grace is negative");
    }

    @Test
    void deadlinesFollowOneAnotherFromOneStart() {
        ShutdownBudget budget = ShutdownBudget.of(props(30, 0, null, 5, 5, 2));
        ShutdownDeadlines d = budget.startingAt(0);

        assertThat(d.drainEnds().nanoTime()).isEqualTo(Duration.ofSeconds(18).toNanos());
        assertThat(d.cancelEnds().nanoTime()).isEqualTo(Duration.ofSeconds(23).toNanos());
        assertThat(d.childrenStopped().nanoTime()).isEqualTo(Duration.ofSeconds(28).toNanos());
        assertThat(d.exit().nanoTime()).isEqualTo(Duration.ofSeconds(30).toNanos());
    }
}

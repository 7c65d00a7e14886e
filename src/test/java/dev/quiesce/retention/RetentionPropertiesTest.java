package dev.quiesce.retention;

import dev.quiesce.settings.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The check of {@link RetentionProperties} against the queue's heartbeat, made when the sweeper is built (binding: RetentionStartUpFailureTest). */
class RetentionPropertiesTest {

    @Test
    void aWorkersRetentionCloseToTheDeadOwnerWindowIsRefusedNamingBoth() {
        RetentionProperties retention = with(Duration.ofHours(1));

        assertThatThrownBy(() -> retention.checkAgainst(Duration.ofMinutes(30)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("quiesce.retention.workers is 1h")
                .hasMessageContaining("quiesce.queue.heartbeat")
                .hasMessageContaining("Set quiesce.retention.workers to at least 5h");
    }

    @Test
    void aWorkersRetentionOfZeroOrFarLongerThanTheDeadOwnerWindowIsAccepted() {
        with(Duration.ZERO).checkAgainst(Duration.ofSeconds(6));
        with(Duration.ofDays(7)).checkAgainst(Duration.ofSeconds(6));
        assertThat(RetentionProperties.keepsForever(with(Duration.ZERO).workers())).isTrue();
    }

    private static RetentionProperties with(Duration workers) {
        return new RetentionProperties(Duration.ofDays(7), Duration.ofDays(30), Duration.ofDays(30), workers,
                Duration.ofDays(90), Duration.ofMinutes(5), 1000, Duration.ofMillis(100));
    }
}

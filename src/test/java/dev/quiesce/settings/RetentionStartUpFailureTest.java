package dev.quiesce.settings;

import dev.quiesce.retention.RetentionProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bad {@code quiesce.retention.*} value stops start-up with a message that names the property and the fix, as
 * {@link StartUpFailureTest} checks for the other records; and the defaults bind.
 */
class RetentionStartUpFailureTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(RetentionProperties.class)
    static class Settings {
    }

    private final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(Settings.class);

    @Test
    void theDefaultsKeepSucceededJobsAWeekAndFailuresAMonth() {
        context.run(started -> {
            RetentionProperties retention = started.getBean(RetentionProperties.class);
            assertThat(retention.succeeded()).isEqualTo(Duration.ofDays(7));
            assertThat(retention.failed()).isEqualTo(Duration.ofDays(30));
            assertThat(retention.cancelled()).isEqualTo(Duration.ofDays(30));
            assertThat(retention.workers()).isEqualTo(Duration.ofDays(7));
            assertThat(retention.shutdownReports()).isEqualTo(Duration.ofDays(90));
            assertThat(retention.interval()).isEqualTo(Duration.ofMinutes(5));
            assertThat(retention.batchSize()).isEqualTo(1000);
        });
    }

    @Test
    void zeroKeepsRowsForeverAndIsAccepted() {
        context.withPropertyValues("quiesce.retention.succeeded=0", "quiesce.retention.shutdown-reports=0s")
                .run(started -> assertThat(started).hasNotFailed());
    }

    @Test
    void aBareNumberReadAsMillisecondsIsRefusedWithTheFloorAndTheWayToKeepForever() {
        FailureAnalysis analysis = analyze("quiesce.retention.succeeded=7");

        assertThat(analysis.getDescription()).contains("quiesce.retention.succeeded is 7ms, shorter than 1m");
        assertThat(analysis.getAction()).isEqualTo("Set quiesce.retention.succeeded to 0 to keep the rows forever, or to 1m or more, such as 7d.");
    }

    @Test
    void aNegativeRetentionIsNamed() {
        FailureAnalysis analysis = analyze("quiesce.retention.failed=-1d");

        assertThat(analysis.getDescription()).contains("quiesce.retention.failed");
        assertThat(analysis.getAction()).isEqualTo("Set quiesce.retention.failed to 0 (keep forever) or a duration of 1m or more, such as 30d.");
    }

    @Test
    void aBatchSizeOutOfRangeIsNamedWithTheRange() {
        FailureAnalysis analysis = analyze("quiesce.retention.batch-size=50000");

        assertThat(analysis.getDescription()).contains("quiesce.retention.batch-size");
        assertThat(analysis.getAction()).contains("quiesce.retention.batch-size").contains("1 to 10000");
    }

    @Test
    void aBatchPauseNotShorterThanTheIntervalNamesBoth() {
        FailureAnalysis analysis = analyze("quiesce.retention.interval=10s", "quiesce.retention.batch-pause=10s");

        assertThat(analysis.getDescription()).contains("quiesce.retention.batch-pause is 10s").contains("quiesce.retention.interval (10s)");
        assertThat(analysis.getAction()).contains("Set quiesce.retention.batch-pause");
    }

    private FailureAnalysis analyze(String... properties) {
        Throwable[] failure = new Throwable[1];
        context.withPropertyValues(properties).run(started -> failure[0] = started.getStartupFailure());
        assertThat(failure[0]).as("start-up failure with %s", String.join(", ", properties)).isNotNull();
        FailureAnalysis analysis = new InvalidConfigurationFailureAnalyzer().analyze(failure[0]);
        if (analysis == null) {
            analysis = new PropertyBindingFailureAnalyzer().analyze(failure[0]);
        }
        assertThat(analysis).as("an analysis of %s", failure[0]).isNotNull();
        return analysis;
    }
}

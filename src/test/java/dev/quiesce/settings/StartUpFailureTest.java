package dev.quiesce.settings;

import dev.quiesce.child.ChildProperties;
import dev.quiesce.dispatch.RoutingProperties;
import dev.quiesce.dispatch.WorkerProperties;
import dev.quiesce.leak.LeakProperties;
import dev.quiesce.queue.QueueProperties;
import dev.quiesce.shutdown.ShutdownProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A bad {@code quiesce.*} value stops start-up with a message that names the property, the value as written and
 * the fix. The properties are bound as in the service (the same records, validation and conversions); the
 * failure is then put through the analyzers.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartUpFailureTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({WorkerProperties.class, RoutingProperties.class, QueueProperties.class,
            ChildProperties.class, ShutdownProperties.class, LeakProperties.class, OtherProperties.class})
    static class Settings {
    }

    /** Not Quiesce's: left to Boot's own analyzers. */
    @ConfigurationProperties("other")
    record OtherProperties(int count) {
    }

    private final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(Settings.class);

    @Test
    void aNumberThatIsNotANumberIsNamedWithWhatItShouldBe() {
        FailureAnalysis analysis = analyze("quiesce.children.size=abc");

        assertThat(analysis.getDescription()).contains("quiesce.children.size is \"abc\", which is not a whole number");
        assertThat(analysis.getAction()).isEqualTo("Set quiesce.children.size to a whole number such as 4.");
    }

    @Test
    void aDurationInAnUnknownUnitListsTheUnits() {
        FailureAnalysis analysis = analyze("quiesce.queue.lease=5 parsecs");

        assertThat(analysis.getDescription()).contains("quiesce.queue.lease is \"5 parsecs\", which is not a duration");
        assertThat(analysis.getAction()).startsWith("Set quiesce.queue.lease to a duration such as 500ms, 30s or 10m")
                .contains("units: ns, us, ms, s, m, h, d");
    }

    @Test
    void aValueOutOfRangeIsNamedWithTheRange() {
        FailureAnalysis analysis = analyze("quiesce.worker.threads=0");

        assertThat(analysis.getDescription()).isEqualTo(
                "quiesce.worker.threads is \"0\", but it must be a number from 1 to 1024"
                        + " (set by \"quiesce.worker.threads\" from property source \"test\").");
        assertThat(analysis.getAction()).isEqualTo("Set quiesce.worker.threads to a number from 1 to 1024.");
    }

    @Test
    void aZeroDurationWhereOneMustBePositiveIsNamed() {
        FailureAnalysis analysis = analyze("quiesce.queue.heartbeat=0s");

        assertThat(analysis.getDescription()).contains("quiesce.queue.heartbeat is \"0s\", but it must be a positive duration");
        assertThat(analysis.getAction()).isEqualTo("Set quiesce.queue.heartbeat to a positive duration such as 2s.");
    }

    @Test
    void aNegativeDurationIsNamed() {
        FailureAnalysis analysis = analyze("quiesce.shutdown.cancel-grace=-1s");

        assertThat(analysis.getDescription()).contains("quiesce.shutdown.cancel-grace is \"-1s\"");
        assertThat(analysis.getAction()).isEqualTo("Set quiesce.shutdown.cancel-grace to 0s or a positive duration such as 5s.");
    }

    @Test
    void aSizeBelowTheMinimumIsNamedWithTheMinimum() {
        FailureAnalysis analysis = analyze("quiesce.children.max-rss=1MB");

        assertThat(analysis.getDescription()).contains("quiesce.children.max-rss is \"1MB\"");
        assertThat(analysis.getAction()).isEqualTo("Set quiesce.children.max-rss to a size of 16MB or more, such as 256MB.");
    }

    @Test
    void anUnknownRouteIsNamedByItsJobType() {
        FailureAnalysis analysis = analyze("quiesce.routing.sleep=process");

        assertThat(analysis.getDescription()).contains("quiesce.routing.sleep is \"process\"");
        assertThat(analysis.getAction()).isEqualTo("Set quiesce.routing.sleep to thread or child.");
    }

    @Test
    void everyBadValueOfOneRecordIsNamedAtOnce() {
        FailureAnalysis analysis = analyze("quiesce.worker.threads=2000", "quiesce.worker.poll-interval=1ms");

        assertThat(analysis.getDescription()).contains("quiesce.worker.threads is \"2000\"")
                .contains("quiesce.worker.poll-interval is \"1ms\"");
        assertThat(analysis.getAction()).contains("Set quiesce.worker.threads to a number from 1 to 1024.")
                .contains("Set quiesce.worker.poll-interval to a duration of 10ms or more, such as 1s.");
    }

    @Test
    void aHeartbeatLongerThanHalfTheLeaseNamesBothAndTheLargestHeartbeatThatFits() {
        FailureAnalysis analysis = analyze("quiesce.queue.lease=30s", "quiesce.queue.heartbeat=20s");

        assertThat(analysis.getDescription()).startsWith("quiesce.queue.heartbeat is 20s and quiesce.queue.lease is 30s");
        assertThat(analysis.getAction()).isEqualTo(
                "Set quiesce.queue.heartbeat to at most 15s (half of quiesce.queue.lease), or raise quiesce.queue.lease to at least 40s.");
    }

    @Test
    void aLeaseTooShortOnItsOwnIsNamedAloneNotAsAProblemOfTheHeartbeat() {
        FailureAnalysis analysis = analyze("quiesce.queue.lease=5");

        assertThat(analysis.getDescription()).startsWith("quiesce.queue.lease is \"5\", but it must be a duration of 1s or more");
        assertThat(analysis.getAction()).isEqualTo("Set quiesce.queue.lease to a duration of 1s or more, such as 30s.");
    }

    @Test
    void aRetryBackoffMaxBelowTheBackoffNamesBoth() {
        FailureAnalysis analysis = analyze("quiesce.queue.retry-backoff=5s", "quiesce.queue.retry-backoff-max=1s");

        assertThat(analysis.getDescription()).contains("quiesce.queue.retry-backoff-max is 1s")
                .contains("quiesce.queue.retry-backoff (5s)");
        assertThat(analysis.getAction()).startsWith("Set quiesce.queue.retry-backoff-max to at least 5s");
    }

    @Test
    void aBadValueOutsideQuiesceIsLeftToBoot() {
        Throwable failure = startUpFailure("other.count=abc");

        assertThat(new PropertyBindingFailureAnalyzer().analyze(failure)).isNull();
        assertThat(new InvalidConfigurationFailureAnalyzer().analyze(failure)).isNull();
    }

    /** The whole path: Boot loads the analyzers from spring.factories, ours come before its own, and it logs ours. */
    @Test
    void theApplicationFailedToStartReportCarriesTheFix(CapturedOutput output) {
        SpringApplication application = new SpringApplication(Settings.class);
        application.setWebApplicationType(WebApplicationType.NONE);

        assertThatThrownBy(() -> application.run("--quiesce.children.restart-period=0s")).isNotNull();

        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("quiesce.children.restart-period is \"0s\", but it must be a positive duration such as 60s")
                .contains("Set quiesce.children.restart-period to a positive duration such as 60s.")
                .doesNotContain("Update your application's configuration");
    }

    private FailureAnalysis analyze(String... properties) {
        Throwable failure = startUpFailure(properties);
        FailureAnalysis analysis = new InvalidConfigurationFailureAnalyzer().analyze(failure);
        if (analysis == null) {
            analysis = new PropertyBindingFailureAnalyzer().analyze(failure);
        }
        assertThat(analysis).as("an analysis of %s", failure).isNotNull();
        return analysis;
    }

    private Throwable startUpFailure(String... properties) {
        Throwable[] failure = new Throwable[1];
        context.withPropertyValues(properties).run(started -> failure[0] = started.getStartupFailure());
        assertThat(failure[0]).as("start-up failure with %s", String.join(", ", properties)).isNotNull();
        return failure[0];
    }
}

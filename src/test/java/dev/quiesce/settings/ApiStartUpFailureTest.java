package dev.quiesce.settings;

import dev.quiesce.web.ApiProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's read-only secret ({@code quiesce.api.read-token}) must be a second secret beside the token: the same
 * value, or a read-token alone, stops start-up naming both properties — and never printing either value.
 */
class ApiStartUpFailureTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ApiProperties.class)
    static class Settings {
    }

    private final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(Settings.class);

    @Test
    void aReadTokenBesideADifferentTokenBindsAndBlankMeansUnset() {
        context.withPropertyValues("quiesce.api.token=op-secret", "quiesce.api.read-token=view-secret").run(started -> {
            ApiProperties api = started.getBean(ApiProperties.class);
            assertThat(api.token()).isEqualTo("op-secret");
            assertThat(api.readToken()).isEqualTo("view-secret");
        });
        context.withPropertyValues("quiesce.api.read-token= ").run(started ->
                assertThat(started.getBean(ApiProperties.class).readToken()).isNull());
    }

    @Test
    void aReadTokenEqualToTheTokenIsRefusedNamingBothAndShowingNeither() {
        FailureAnalysis analysis = analyze("quiesce.api.token=same-secret", "quiesce.api.read-token=same-secret");

        assertThat(analysis.getDescription()).contains("quiesce.api.read-token", "quiesce.api.token")
                .doesNotContain("same-secret");
        assertThat(analysis.getAction()).isEqualTo("Set quiesce.api.read-token to a different secret, or remove it.");
    }

    @Test
    void aReadTokenWithoutATokenIsRefused() {
        FailureAnalysis analysis = analyze("quiesce.api.read-token=view-secret");

        assertThat(analysis.getDescription()).contains("quiesce.api.read-token is set but quiesce.api.token is not")
                .doesNotContain("view-secret");
        assertThat(analysis.getAction()).contains("Set quiesce.api.token too");
    }

    private FailureAnalysis analyze(String... properties) {
        Throwable[] failure = new Throwable[1];
        context.withPropertyValues(properties).run(started -> failure[0] = started.getStartupFailure());
        assertThat(failure[0]).as("start-up failure with %s", String.join(", ", properties)).isNotNull();
        FailureAnalysis analysis = new InvalidConfigurationFailureAnalyzer().analyze(failure[0]);
        assertThat(analysis).as("an analysis of %s", failure[0]).isNotNull();
        return analysis;
    }
}

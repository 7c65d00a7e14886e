package dev.quiesce.deploy;

import dev.quiesce.shutdown.ShutdownBudget;
import dev.quiesce.shutdown.ShutdownProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service accepts the budget the chart gives it, and splits exactly the time the pod spec grants: the
 * rendered environment is bound the way Spring binds a real container's environment (relaxed names included)
 * and handed to the service's own {@link ShutdownBudget}, the start-up validation a bad budget would fail.
 */
class ChartBudgetAgreementTest {

    @Test
    void theServiceAcceptsTheChartsBudgetAndItsTotalIsTheGracePeriodMinusPreStop() {
        Manifests manifests = QuiesceChart.render(Map.of(
                "shutdown.preStopSeconds", 5, "shutdown.drainSeconds", 40, "shutdown.cancelGraceSeconds", 7,
                "shutdown.childStopTimeoutSeconds", 6, "shutdown.marginSeconds", 3));

        ShutdownProperties properties = bindAsTheServiceWould(manifests.env());
        ShutdownBudget budget = ShutdownBudget.of(properties);

        assertThat(properties.gracePeriod()).isEqualTo(Duration.ofSeconds(61));
        assertThat(properties.terminationMessagePath()).isEqualTo(Path.of("/dev/termination-log"));
        assertThat(budget.total()).isEqualTo(Duration.ofSeconds(61 - 5));
        assertThat(budget.drain()).isEqualTo(Duration.ofSeconds(40));
        assertThat(budget.cancelGrace()).isEqualTo(Duration.ofSeconds(7));
        assertThat(budget.childStopTimeout()).isEqualTo(Duration.ofSeconds(6));
        assertThat(budget.margin()).isEqualTo(Duration.ofSeconds(3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.quiesce.deploy.QuiesceChart#ciValuesFiles")
    void everyCiConfigurationGivesABudgetTheServiceAccepts(Path valuesFile) {
        Manifests manifests = QuiesceChart.render(Map.of(), valuesFile);
        int grace = (Integer) Manifests.at(manifests.podSpec(), "terminationGracePeriodSeconds");
        Object preStop = Manifests.at(manifests.container(), "lifecycle.preStop.sleep.seconds");

        ShutdownBudget budget = ShutdownBudget.of(bindAsTheServiceWould(manifests.env()));

        assertThat(budget.total()).isEqualTo(Duration.ofSeconds(grace - (preStop == null ? 0 : (Integer) preStop)));
    }

    @Test
    void withoutPreStopTheServiceHasTheWholeGracePeriod() {
        Manifests manifests = QuiesceChart.render(Map.of("shutdown.preStopSeconds", 0));

        ShutdownBudget budget = ShutdownBudget.of(bindAsTheServiceWould(manifests.env()));

        assertThat(budget.total()).isEqualTo(Duration.ofSeconds((Integer) Manifests.at(manifests.podSpec(), "terminationGracePeriodSeconds")));
    }

    /** The container's environment as Spring Boot binds it: a source named systemEnvironment gets the relaxed rules. */
    private static ShutdownProperties bindAsTheServiceWould(Map<String, String> env) {
        SystemEnvironmentPropertySource source = new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new HashMap<>(env));
        return new Binder(ConfigurationPropertySources.from(source))
                .bindOrCreate("quiesce.shutdown", ShutdownProperties.class);
    }
}

package dev.quiesce.process;

import dev.quiesce.testing.QuiesceProcess;
import dev.quiesce.testing.QuiesceProcesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A configuration the service cannot honour must stop it at start-up, loudly and by name, rather than let it
 * run and break its promises later (DESIGN §4: "a budget that does not fit fails start-up").
 */
class BadConfigurationIT {

    @RegisterExtension
    final QuiesceProcesses quiesce = new QuiesceProcesses();

    @Test
    void aShutdownBudgetThatDoesNotFitTheGracePeriodFailsStartUpNamingItsProperties() {
        QuiesceProcess service = quiesce.launch(
                "--quiesce.shutdown.grace-period=5s",
                "--quiesce.shutdown.child-stop-timeout=10s");

        QuiesceProcess.Exit exit = service.awaitExit(QuiesceProcesses.START_BOUND);

        assertThat(exit.code()).as("exit status").isNotZero();
        assertThat(service.log().text())
                .contains("quiesce.shutdown.grace-period")
                .contains("quiesce.shutdown.child-stop-timeout");
    }

    @Test
    void aHeartbeatLongerThanHalfTheLeaseFailsStartUpNamingTheHeartbeat() {
        QuiesceProcess service = quiesce.launch(
                "--quiesce.queue.lease=30s",
                "--quiesce.queue.heartbeat=20s");

        QuiesceProcess.Exit exit = service.awaitExit(QuiesceProcesses.START_BOUND);

        assertThat(exit.code()).as("exit status").isNotZero();
        assertThat(service.log().text())
                .contains("quiesce.queue.heartbeat is 20s and quiesce.queue.lease is 30s")
                .contains("Set quiesce.queue.heartbeat to at most 15s");
    }

    @Test
    void anExplicitDrainTimeoutLongerThanTheBudgetFailsStartUpNamingIt() {
        QuiesceProcess service = quiesce.launch(
                "--quiesce.shutdown.grace-period=20s",
                "--quiesce.shutdown.drain-timeout=30s");

        QuiesceProcess.Exit exit = service.awaitExit(QuiesceProcesses.START_BOUND);

        assertThat(exit.code()).as("exit status").isNotZero();
        assertThat(service.log().text()).contains("quiesce.shutdown.drain-timeout");
    }

    @Test
    void aNumberThatIsNotANumberFailsStartUpNamingThePropertyTheValueAndTheFix() {
        QuiesceProcess service = quiesce.launch("--quiesce.children.size=abc");

        QuiesceProcess.Exit exit = service.awaitExit(QuiesceProcesses.START_BOUND);

        assertThat(exit.code()).as("exit status").isNotZero();
        assertThat(service.log().text())
                .contains("APPLICATION FAILED TO START")
                .contains("quiesce.children.size is \"abc\", which is not a whole number")
                .contains("Set quiesce.children.size to a whole number");
    }

    @Test
    void aDurationInAnUnknownUnitFailsStartUpListingTheUnits() {
        QuiesceProcess service = quiesce.launch("--quiesce.queue.lease=5 parsecs");

        QuiesceProcess.Exit exit = service.awaitExit(QuiesceProcesses.START_BOUND);

        assertThat(exit.code()).as("exit status").isNotZero();
        assertThat(service.log().text())
                .contains("quiesce.queue.lease is \"5 parsecs\", which is not a duration")
                .contains("Set quiesce.queue.lease to a duration such as 500ms, 30s or 10m (units: ns, us, ms, s, m, h, d).");
    }

    @Test
    void aValueOutOfRangeFailsStartUpNamingTheRangeAndWhereItWasSet() {
        QuiesceProcess service = quiesce.launch("--quiesce.worker.threads=0");

        QuiesceProcess.Exit exit = service.awaitExit(QuiesceProcesses.START_BOUND);

        assertThat(exit.code()).as("exit status").isNotZero();
        assertThat(service.log().text())
                .contains("quiesce.worker.threads is \"0\", but it must be a number from 1 to 1024")
                .contains("from property source \"commandLineArgs\"")
                .contains("Set quiesce.worker.threads to a number from 1 to 1024.");
    }

    @Test
    void anUnknownRouteFailsStartUpNamingTheJobTypeAndBothRunners() {
        QuiesceProcess service = quiesce.launch("--quiesce.routing.sleep=process");

        QuiesceProcess.Exit exit = service.awaitExit(QuiesceProcesses.START_BOUND);

        assertThat(exit.code()).as("exit status").isNotZero();
        assertThat(service.log().text())
                .contains("quiesce.routing.sleep is \"process\", but it must be thread or child")
                .contains("Set quiesce.routing.sleep to thread or child.");
    }
}

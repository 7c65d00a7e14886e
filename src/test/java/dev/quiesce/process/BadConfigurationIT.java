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
        assertThat(service.log().text()).contains("quiesce.queue.heartbeat");
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
}

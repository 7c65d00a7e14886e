package dev.quiesce.process;

import dev.quiesce.testing.JobsDb;
import dev.quiesce.testing.JobsDb.JobRow;
import dev.quiesce.testing.QuiesceApi;
import dev.quiesce.testing.QuiesceProcess;
import dev.quiesce.testing.QuiesceProcesses;
import dev.quiesce.testing.Signal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Map;

import static dev.quiesce.testing.QuiesceApi.id;
import static dev.quiesce.testing.QuiesceApi.jobRequest;
import static dev.quiesce.testing.QuiesceApi.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A job that ignores interruption cannot hold the shutdown hostage: at the drain deadline it is interrupted,
 * after cancel-grace it is handed back to the queue, and the service still exits inside its grace period.
 * While it drains, the API keeps accepting work durably (DESIGN §1.2, §4, §7).
 */
class DrainDeadlineIT {

    private static final Duration GRACE_PERIOD = Duration.ofSeconds(12);
    /** grace-period 12s - cancel-grace 2s - child-stop-timeout 1s - margin 2s. */
    private static final Duration DRAIN = Duration.ofSeconds(7);

    @RegisterExtension
    final QuiesceProcesses quiesce = new QuiesceProcesses();

    @Test
    void aJobIgnoringInterruptsIsReleasedAtTheDeadlineAndTheServiceExitsInsideItsGracePeriod() {
        QuiesceProcess service = quiesce.start(
                "--quiesce.shutdown.grace-period=12s",
                "--quiesce.shutdown.cancel-grace=2s",
                "--quiesce.shutdown.child-stop-timeout=1s",
                "--quiesce.shutdown.margin=2s");
        QuiesceApi api = service.api();
        long stubborn = id(api.enqueue(jobRequest("ignore-interrupt", 0, 5, "ms", 60_000)));
        await("the stubborn job running").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> "RUNNING".equals(state(api.job(stubborn))));

        service.signal(Signal.TERM);
        // The stop has begun once readiness stops answering 200 (Boot refuses traffic on close); from then
        // on the process is draining, and stays so while the stubborn job runs.
        await("readiness refusing traffic after SIGTERM").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> service.actuator().readiness() != 200);
        QuiesceApi.Response duringDrain = api.post("/jobs", jobRequest("sleep", 0, 5, "ms", 10));
        boolean aliveAfterAnswer = service.isAlive();
        QuiesceProcess.Exit exit = service.awaitExit(QuiesceProcesses.EXIT_BOUND);

        System.out.printf("SIGTERM with a job ignoring interrupts: exited with %d after %d ms%n",
                exit.code(), exit.sinceSignal().toMillis());
        assertThat(duringDrain.status()).as("POST /jobs while draining: %s", duringDrain.body()).isEqualTo(201);
        assertThat(aliveAfterAnswer).as("the service was still draining when it answered").isTrue();
        assertThat(exit.sinceSignal()).as("time from SIGTERM to exit").isLessThan(GRACE_PERIOD);
        assertThat(exit.sinceSignal()).as("the job was given the whole drain before it was cancelled")
                .isGreaterThanOrEqualTo(DRAIN);
        assertThat(exit.code()).as("exit status after SIGTERM").isIn(0, 143);
        assertThat(exit.survivors()).as("descendants still alive after exit").isEmpty();

        long enqueuedWhileDraining = id(duringDrain.json());
        try (JobsDb db = JobsDb.open(quiesce.dataDir())) {
            Map<Long, JobRow> rows = db.jobsById();
            assertThat(rows).as("jobs in the database").containsOnlyKeys(stubborn, enqueuedWhileDraining);
            JobRow released = rows.get(stubborn);
            assertThat(released.state()).as("the stubborn job after the stop").isEqualTo("QUEUED");
            assertThat(released.attempts()).as("its attempts (the shutdown's attempt refunded)").isZero();
            assertThat(released.interruptions()).as("its interruptions").isEqualTo(1);
            assertThat(released.owner()).as("its owner").isNull();
            JobRow durable = rows.get(enqueuedWhileDraining);
            assertThat(durable.state()).as("the job enqueued while draining").isEqualTo("QUEUED");
            assertThat(durable.attempts()).as("its attempts (never claimed by a draining service)").isZero();
            assertThat(db.workerStates()).as("workers rows after the stop").containsExactly("STOPPED");
        }
    }

    @Test
    void aRestartRunsTheReleasedJobAgain() {
        QuiesceProcess first = quiesce.start(
                "--quiesce.shutdown.grace-period=12s",
                "--quiesce.shutdown.cancel-grace=2s",
                "--quiesce.shutdown.child-stop-timeout=1s",
                "--quiesce.shutdown.margin=2s",
                "--quiesce.shutdown.drain-timeout=1s");
        QuiesceApi api = first.api();
        JsonNode job = api.enqueue(jobRequest("ignore-interrupt", 0, 5, "ms", 6_000));
        await("the job running").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> "RUNNING".equals(state(api.job(id(job)))));
        first.signal(Signal.TERM);
        first.awaitExit(QuiesceProcesses.EXIT_BOUND);

        QuiesceApi again = quiesce.start().api();
        await("the released job finished after the restart").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> "SUCCEEDED".equals(state(again.job(id(job)))));
        JsonNode finished = again.job(id(job));
        assertThat(finished.get("attempts").asInt()).as("attempts: the shutdown's one was refunded").isEqualTo(1);
        assertThat(finished.get("interruptions").asInt()).as("interruptions").isEqualTo(1);
    }
}

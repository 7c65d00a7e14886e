package dev.quiesce.process;

import dev.quiesce.testing.Actuator;
import dev.quiesce.testing.ProcScan;
import dev.quiesce.testing.QuiesceApi;
import dev.quiesce.testing.QuiesceProcess;
import dev.quiesce.testing.QuiesceProcesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.quiesce.testing.QuiesceApi.id;
import static dev.quiesce.testing.QuiesceApi.isTerminal;
import static dev.quiesce.testing.QuiesceApi.jobRequest;
import static dev.quiesce.testing.QuiesceApi.state;
import static dev.quiesce.testing.QuiesceApi.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every way a child task can go wrong — the child halts, calls {@code System.exit}, runs out of memory, writes
 * garbage on the protocol, or hangs past its timeout — fails the job with a {@code lastError} that names what
 * happened, charges a crash where the child died under the task, kills and replaces the child, and leaves the
 * pool serving the next task (DESIGN §3 retry and quarantine, §5 supervision and per-task timeout).
 */
class ChildFaultsIT {

    private static final Pattern CHILD_PID = Pattern.compile("pid (\\d+)");

    @RegisterExtension
    final ProcessSweep sweep = new ProcessSweep();
    @RegisterExtension
    final QuiesceProcesses quiesce = new QuiesceProcesses();

    /**
     * A fault task and what its job must say afterwards.
     *
     * @param crashes 1 when the child died under the task, 0 for a timeout (the service killed it on purpose)
     */
    record Fault(String type, String lastErrorMentions, int crashes) {
    }

    @Test
    void eachFaultFailsItsJobWithAClearErrorAndThePoolReplacesTheChildAndServesTheNextTask() {
        QuiesceProcess service = quiesce.start(
                "--quiesce.children.size=2",
                "--quiesce.children.task-timeout=2s",
                "--quiesce.shutdown.cancel-grace=1s",
                "--quiesce.queue.retry-backoff=100ms",
                // Every fault here restarts a child; none of them may degrade the pool (ChildCrashLoopIT does).
                "--quiesce.children.restart-intensity=50");
        sweep.watchService(service.pid());
        QuiesceApi api = service.api();
        awaitChildJvms(service, 2);

        List<Fault> faults = List.of(
                new Fault("crash", "exit code 13", 1),
                new Fault("exit", "exit code 0", 1),
                new Fault("oom", "out of memory", 1),
                new Fault("garbage", "protocol error", 1),
                new Fault("hang", "timeout", 0));
        for (Fault fault : faults) {
            JsonNode job = awaitTerminal(api, id(api.enqueue(jobRequest(fault.type(), 0, 1))));
            String lastError = text(job, "lastError");
            System.out.printf("CHILD-FAULT %s -> %s crashes=%d lastError=%s%n", fault.type(), state(job),
                    job.get("crashes").asInt(), lastError);
            assertThat(state(job)).as("state of the %s job (maxAttempts 1): %s", fault.type(), job).isEqualTo("FAILED");
            assertThat(lastError).as("lastError of the %s job", fault.type()).contains(fault.lastErrorMentions());
            assertThat(job.get("crashes").asInt()).as("crashes of the %s job: %s", fault.type(), job)
                    .isEqualTo(fault.crashes());
            assertThat(job.get("attempts").asInt()).as("attempts of the %s job", fault.type()).isEqualTo(1);
            assertChildReplaced(service, fault, lastError);
            assertNextTaskSucceeds(api, fault.type());
        }

        // While attempts remain, a crash is retried (after a back-off) — until quarantine-after (3) crashes.
        JsonNode poison = awaitTerminal(api, id(api.enqueue(jobRequest("crash", 0, 5))));
        System.out.printf("CHILD-FAULT crash x%d -> %s lastError=%s%n", poison.get("crashes").asInt(), state(poison),
                text(poison, "lastError"));
        assertThat(state(poison)).as("a crash job with 5 attempts: %s", poison).isEqualTo("FAILED");
        assertThat(poison.get("crashes").asInt()).as("crashes when quarantined").isEqualTo(3);
        assertThat(poison.get("attempts").asInt()).as("attempts when quarantined").isEqualTo(3);
        assertThat(text(poison, "lastError")).as("lastError of the quarantined job")
                .startsWith("quarantined").contains("exit code 13");
        assertNextTaskSucceeds(api, "crash x3");

        // A timeout is retryable too: with 2 attempts the hang times out twice, charging no crash.
        JsonNode slow = awaitTerminal(api, id(api.enqueue(jobRequest("hang", 0, 2))));
        System.out.printf("CHILD-FAULT hang x2 -> %s attempts=%d lastError=%s%n", state(slow),
                slow.get("attempts").asInt(), text(slow, "lastError"));
        assertThat(state(slow)).as("a hang job with 2 attempts: %s", slow).isEqualTo("FAILED");
        assertThat(slow.get("attempts").asInt()).as("attempts of the hang job").isEqualTo(2);
        assertThat(slow.get("crashes").asInt()).as("crashes of the hang job").isZero();
        assertThat(text(slow, "lastError")).as("lastError of the hang job").contains("timeout");
        assertNextTaskSucceeds(api, "hang x2");

        Actuator.Answer health = service.actuator().get("health").orElseThrow();
        assertThat(health.status()).as("overall health after the faults: %s", health.body()).isEqualTo(200);
    }

    /** The child named in {@code lastError} is dead and the pool is back to its size with other child JVMs. */
    private static void assertChildReplaced(QuiesceProcess service, Fault fault, String lastError) {
        Matcher matcher = CHILD_PID.matcher(lastError);
        assertThat(matcher.find()).as("lastError of the %s job names the child's pid: %s", fault.type(), lastError).isTrue();
        long pid = Long.parseLong(matcher.group(1));
        await("child pid " + pid + " (ran " + fault.type() + ") gone and the pool back to 2 children")
                .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> ProcScan.read(pid).filter(p -> !p.isZombie()).isEmpty()
                        && ProcScan.childJvmsOf(service.pid()).size() == 2);
    }

    private static void assertNextTaskSucceeds(QuiesceApi api, String after) {
        JsonNode noop = awaitTerminal(api, id(api.enqueue(jobRequest("noop", 0, 1))));
        assertThat(state(noop)).as("a noop job after the %s fault: %s", after, noop).isEqualTo("SUCCEEDED");
    }

    private static JsonNode awaitTerminal(QuiesceApi api, long id) {
        await("job " + id + " terminal").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                .until(() -> isTerminal(state(api.job(id))));
        return api.job(id);
    }

    private static void awaitChildJvms(QuiesceProcess service, int count) {
        await(count + " child JVMs").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> ProcScan.childJvmsOf(service.pid()).size() == count);
    }
}

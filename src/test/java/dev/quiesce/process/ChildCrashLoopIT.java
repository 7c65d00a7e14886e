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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.quiesce.testing.QuiesceApi.id;
import static dev.quiesce.testing.QuiesceApi.jobRequest;
import static dev.quiesce.testing.QuiesceApi.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A type that always crashes its child must not make the pool crash-loop: more than {@code restart-intensity}
 * restarts within {@code restart-period} degrade the pool — the {@code childPool} health component goes DOWN,
 * no more restarts, child-routed jobs wait — while the service keeps serving thread-routed jobs (DESIGN §5
 * supervision).
 */
class ChildCrashLoopIT {

    @RegisterExtension
    final ProcessSweep sweep = new ProcessSweep();
    @RegisterExtension
    final QuiesceProcesses quiesce = new QuiesceProcesses();

    @Test
    void aTypeThatAlwaysCrashesDegradesThePoolInsteadOfSpinningAndThreadJobsStillSucceed() {
        QuiesceProcess service = quiesce.start(
                "--quiesce.children.size=2",
                "--quiesce.children.restart-intensity=2",
                "--quiesce.children.restart-period=60s",
                "--quiesce.queue.quarantine-after=100",
                // The component and its details are what this test reads; Boot hides both by default.
                "--management.endpoint.health.show-details=always");
        sweep.watchService(service.pid());
        QuiesceApi api = service.api();
        Actuator actuator = service.actuator();

        List<Long> crashes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            crashes.add(id(api.enqueue(jobRequest("crash", 0, 1))));
        }
        await("childPool health component DOWN").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> "DOWN".equals(childPoolStatus(actuator)));
        Actuator.Answer health = actuator.get("health").orElseThrow();
        System.out.println("CHILD-CRASHLOOP health: " + health.status() + " " + health.body());
        JsonNode pool = health.json().get("components").get("childPool");
        assertThat(pool.get("details").get("degraded").asBoolean()).as("childPool details: %s", pool).isTrue();

        // Degraded: no child is restarted. One whose task had not crashed may live on, idle; no new one starts.
        await("every crash job either crashed a child or waits").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> crashes.stream().map(api::job).noneMatch(job -> "RUNNING".equals(state(job))));
        Set<Long> childrenWhenDegraded = childPids(service);
        long crashed = crashes.stream().map(api::job).filter(job -> job.get("crashes").asInt() == 1).count();
        // The third crash degrades the pool (intensity 2); the other child may have taken a fourth crash job
        // before the degradation was known.
        assertThat(crashed).as("crash jobs that crashed a child").isBetween(3L, 4L);

        List<Map<String, Object>> sleeps = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sleeps.add(jobRequest("sleep", 0, 1, "ms", 200));
        }
        List<Long> sleepIds = api.enqueueAll(sleeps).stream().map(QuiesceApi::id).toList();
        long noop = id(api.enqueue(jobRequest("noop", 0, 1)));
        await("thread-routed sleep jobs succeed while the pool is degraded").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> sleepIds.stream().allMatch(id -> "SUCCEEDED".equals(state(api.job(id)))));

        JsonNode waiting = api.job(noop);
        assertThat(state(waiting)).as("a child-routed job while the pool is degraded: %s", waiting).isEqualTo("QUEUED");
        assertThat(waiting.get("attempts").asInt()).as("attempts of the waiting noop job").isZero();
        assertThat(crashes.stream().map(api::job).filter(job -> "QUEUED".equals(state(job))).count())
                .as("crash jobs never claimed once the pool degraded").isEqualTo(crashes.size() - crashed);
        assertThat(service.log().text()).as("log").contains("Child pool DEGRADED");
        assertThat(childPids(service)).as("child JVMs now: none restarted since the pool degraded (then: %s)",
                childrenWhenDegraded).isSubsetOf(childrenWhenDegraded);
    }

    private static Set<Long> childPids(QuiesceProcess service) {
        return ProcScan.childJvmsOf(service.pid()).stream().map(ProcScan.Proc::pid).collect(Collectors.toSet());
    }

    private static String childPoolStatus(Actuator actuator) {
        return actuator.get("health").map(answer -> {
            JsonNode components = answer.json().get("components");
            JsonNode pool = components == null ? null : components.get("childPool");
            return pool == null ? null : pool.get("status").asString();
        }).orElse(null);
    }
}

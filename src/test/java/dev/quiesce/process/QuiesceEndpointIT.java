package dev.quiesce.process;

import dev.quiesce.testing.Actuator;
import dev.quiesce.testing.QuiesceApi;
import dev.quiesce.testing.QuiesceProcess;
import dev.quiesce.testing.QuiesceProcesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static dev.quiesce.testing.QuiesceApi.id;
import static dev.quiesce.testing.QuiesceApi.jobRequest;
import static dev.quiesce.testing.QuiesceApi.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code quiesce} actuator endpoint against the real jar, with a token: {@code POST quiet} over HTTP stops
 * claiming without stopping the process, {@code POST resume} claims again, and neither works without the token
 * (DESIGN §7).
 */
class QuiesceEndpointIT {

    private static final String TOKEN = "it-s3cret";

    @RegisterExtension
    final ProcessSweep sweep = new ProcessSweep();
    @RegisterExtension
    final QuiesceProcesses quiesce = new QuiesceProcesses();

    @Test
    void quietOverHttpStopsClaimingWithoutExitingResumeRunsWhatWaitedAndBothNeedTheToken() {
        QuiesceProcess service = quiesce.start(
                "--quiesce.api.token=" + TOKEN,
                "--quiesce.children.size=0",
                "--quiesce.worker.poll-interval=200ms");
        sweep.watchService(service.pid());
        QuiesceApi api = service.api(TOKEN);
        Actuator actuator = service.actuator();

        Actuator.Answer refused = actuator.post("quiesce/quiet", null).orElseThrow();
        assertThat(refused.status()).as("quiet without the token: %s", refused.body()).isEqualTo(401);
        assertThat(actuator.get("quiesce", null).orElseThrow().status()).as("read without the token").isEqualTo(401);
        assertThat(instanceState(actuator)).isEqualTo("RUNNING");

        Actuator.Answer quiet = actuator.post("quiesce/quiet", TOKEN).orElseThrow();
        assertThat(quiet.status()).as("quiet with the token: %s", quiet.body()).isEqualTo(200);
        assertThat(quiet.json().get("state").asString()).isEqualTo("QUIET");

        long waiting = id(api.enqueue(jobRequest("sleep", 0, 3, "ms", 10)));
        // Fifteen poll intervals: a claiming dispatcher would have run it many times over.
        await("the job stays QUEUED while quiet").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(30))
                .until(() -> "QUEUED".equals(state(api.job(waiting))));
        assertThat(service.isAlive()).as("the process after quiet").isTrue();
        assertThat(instanceState(actuator)).isEqualTo("QUIET");
        assertThat(service.actuator().readiness()).as("readiness while quiet").isEqualTo(200);

        Actuator.Answer refusedResume = actuator.post("quiesce/resume", null).orElseThrow();
        assertThat(refusedResume.status()).as("resume without the token: %s", refusedResume.body()).isEqualTo(401);
        assertThat(state(api.job(waiting))).isEqualTo("QUEUED");

        Actuator.Answer resume = actuator.post("quiesce/resume", TOKEN).orElseThrow();
        assertThat(resume.status()).as("resume with the token: %s", resume.body()).isEqualTo(200);
        assertThat(resume.json().get("state").asString()).isEqualTo("RUNNING");
        await("the waiting job runs after resume").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> "SUCCEEDED".equals(state(api.job(waiting))));
        assertThat(api.job(waiting).get("attempts").asInt()).as("attempts of the job that waited").isEqualTo(1);
    }

    private static String instanceState(Actuator actuator) {
        Actuator.Answer answer = actuator.get("quiesce", TOKEN).orElseThrow();
        assertThat(answer.status()).as("GET /actuator/quiesce: %s", answer.body()).isEqualTo(200);
        return answer.json().get("state").asString();
    }
}

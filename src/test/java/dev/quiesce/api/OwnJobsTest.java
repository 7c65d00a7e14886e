package dev.quiesce.api;

import dev.quiesce.QuiesceApplication;
import dev.quiesce.job.JobTypes;
import dev.quiesce.testing.TestContexts;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A team's own job type in a real service (in this JVM, on H2): a typed, validated payload, enqueued from code through
 * {@link Jobs} and over HTTP, refused with the field named and nothing written, run with its record.
 */
class OwnJobsTest {

    /** The payload of the team's job. */
    public record Greeting(@NotBlank String name, @Min(1) @Max(3) int times) {
    }

    @Configuration(proxyBeanMethods = false)
    static class TeamJobs {
        @Bean
        JobHandler<Greeting> greetJob() {
            return new JobHandler<Greeting>() {
                @Override
                public String type() {
                    return "greet";
                }

                @Override
                public void validate(Greeting payload) {
                    if (payload.name().equalsIgnoreCase("nobody")) {
                        throw new IllegalArgumentException("name must be somebody");
                    }
                }

                @Override
                public String run(Greeting payload, JobContext context) throws IOException {
                    Path note = Files.writeString(context.scratchDir().resolve("note"), payload.name());
                    context.progress(0.5);
                    Files.delete(note);
                    return ("hello " + payload.name() + " ").repeat(payload.times()).trim();
                }
            };
        }
    }

    @TempDir
    Path dataDir;

    private ConfigurableApplicationContext context;

    @AfterEach
    void close() {
        if (context != null) {
            context.close();
        }
    }

    private ConfigurableApplicationContext start(Map<String, Object> extra) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("server.port", 0);
        properties.put("management.server.port", 0);
        properties.put("quiesce.data-dir", dataDir.toString());
        properties.put("quiesce.children.size", 0);
        properties.put("quiesce.worker.poll-interval", "100ms");
        properties.putAll(extra);
        context = TestContexts.start(properties, QuiesceApplication.class, TeamJobs.class);
        return context;
    }

    @Test
    void aTypedJobEnqueuedFromCodeRunsWithItsRecordAndABadOneIsRefusedNamingTheField() {
        Jobs jobs = start(Map.of()).getBean(Jobs.class);

        JobStatus queued = jobs.enqueue("greet", new Greeting("Ada", 2));
        assertThat(queued.created()).isTrue();
        assertThat(queued.state()).isEqualTo(JobState.QUEUED);
        await().atMost(Duration.ofSeconds(30)).until(() -> jobs.find(queued.id()).orElseThrow().state() == JobState.SUCCEEDED);
        assertThat(jobs.find(queued.id()).orElseThrow().result()).isEqualTo("hello Ada hello Ada");

        assertThatThrownBy(() -> jobs.enqueue("greet", new Greeting("Ada", 4)))
                .isInstanceOf(InvalidJobException.class).hasMessage("payload.times: must be less than or equal to 3");
        assertThatThrownBy(() -> jobs.enqueue("greet", Map.of("name", "Ada", "times", 1, "colour", "red")))
                .isInstanceOf(InvalidJobException.class).hasMessage("payload.colour: unknown field; known fields: name, times");
        assertThatThrownBy(() -> jobs.enqueue("greet", new Greeting("nobody", 1)))
                .isInstanceOf(InvalidJobException.class).hasMessage("payload: name must be somebody");
        assertThatThrownBy(() -> jobs.enqueue("greet", null))
                .isInstanceOf(InvalidJobException.class).hasMessage("payload: required, a JSON object for a 'greet' job");
        assertThatThrownBy(() -> jobs.enqueue("greeet", new Greeting("Ada", 1)))
                .isInstanceOf(InvalidJobException.class).hasMessageStartingWith("type: unknown type 'greeet'; known types: ")
                .hasMessageContaining("greet");
        assertThatThrownBy(() -> jobs.enqueueAll(List.of(JobSpec.of("greet", new Greeting("Ada", 1)),
                JobSpec.of("greet", new Greeting(" ", 1)))))
                .isInstanceOf(InvalidJobException.class).hasMessage("jobs[1].payload.name: must not be blank");
        assertThat(jobs.find(queued.id() + 1)).as("nothing written by a refused job or batch").isEmpty();
    }

    @Test
    void aBatchIdempotencyKeysAndRunAtWorkFromCodeAsOverHttp() {
        Jobs jobs = start(Map.of()).getBean(Jobs.class);
        Instant later = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

        List<JobStatus> batch = jobs.enqueueAll(List.of(
                JobSpec.of("greet", new Greeting("Bo", 1)).withIdempotencyKey("bo-1").withPriority(5).withMaxAttempts(2),
                JobSpec.of("greet", new Greeting("Cy", 1)).withRunAt(later)));
        JobStatus again = jobs.enqueue(JobSpec.of("greet", new Greeting("Bo", 1)).withIdempotencyKey("bo-1"));

        assertThat(batch).extracting(JobStatus::created).containsExactly(true, true);
        assertThat(batch.getFirst().priority()).isEqualTo(5);
        assertThat(batch.getFirst().maxAttempts()).isEqualTo(2);
        assertThat(again.created()).isFalse();
        assertThat(again.id()).isEqualTo(batch.getFirst().id());
        assertThat(batch.get(1).runAt()).isEqualTo(later);
        assertThat(jobs.find(batch.get(1).id()).orElseThrow().state()).isEqualTo(JobState.QUEUED);

        assertThat(jobs.cancel(batch.get(1).id())).hasValueSatisfying(job -> assertThat(job.state()).isEqualTo(JobState.CANCELLED));
        assertThat(jobs.cancel(batch.get(1).id() + 100)).isEmpty();
    }

    @Test
    void overHttpABadTypedPayloadIs400NamingTheFieldAndAGoodOneIs201() throws Exception {
        ConfigurableApplicationContext started = start(Map.of());
        int port = started.getEnvironment().getRequiredProperty("local.server.port", Integer.class);

        HttpResponse<String> bad = post(port, "{\"type\": \"greet\", \"payload\": {\"name\": \"Ada\", \"times\": 1.5}}");
        HttpResponse<String> good = post(port, "{\"type\": \"greet\", \"payload\": {\"name\": \"Ada\", \"times\": 1}}");

        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(bad.body()).contains("payload.times: must be a whole number");
        assertThat(good.statusCode()).isEqualTo(201);
    }

    @Test
    void theFaultTypesAndJournalsAreOffUnlessTheOperatorTurnsThemOn() throws Exception {
        ConfigurableApplicationContext started = start(Map.of("quiesce.builtin.fault-types", false));
        JobTypes types = started.getBean(JobTypes.class);
        Jobs jobs = started.getBean(Jobs.class);

        assertThat(types.types()).contains("sleep", "sha256", "greet")
                .doesNotContain("fail", "ignore-interrupt", "leave-thread", "leave-scratch", "leave-open-files");
        assertThatThrownBy(() -> jobs.enqueue("fail", Map.of()))
                .isInstanceOf(InvalidJobException.class).hasMessageStartingWith("type: unknown type 'fail'");
        assertThatThrownBy(() -> jobs.enqueue("sleep", Map.of("ms", 1, "journal", dataDir.resolve("quiesce.mv.db").toString())))
                .isInstanceOf(InvalidJobException.class)
                .hasMessageContaining("payload.journal is not accepted: journals are off");
    }

    @Test
    void aJournalMustNameAFileInsideTheOperatorsDirectory() throws Exception {
        Path journals = Files.createDirectories(dataDir.resolve("journals"));
        Jobs jobs = start(Map.of("quiesce.builtin.journal-dir", journals.toString())).getBean(Jobs.class);

        for (String outside : List.of("../quiesce.mv.db", dataDir.resolve("quiesce.mv.db").toString(), "/etc/passwd", ".")) {
            assertThatThrownBy(() -> jobs.enqueue("sleep", Map.of("ms", 1, "journal", outside)))
                    .as(outside).isInstanceOf(InvalidJobException.class)
                    .hasMessageContaining("payload.journal must name a file inside quiesce.builtin.journal-dir");
        }
        JobStatus inside = jobs.enqueue("sleep", Map.of("ms", 1, "journal", "a.txt"));
        JobStatus absoluteInside = jobs.enqueue("sleep", Map.of("ms", 1, "journal", journals.resolve("a.txt").toString()));
        await().atMost(Duration.ofSeconds(30)).until(() -> jobs.find(absoluteInside.id()).orElseThrow().state() == JobState.SUCCEEDED
                && jobs.find(inside.id()).orElseThrow().state() == JobState.SUCCEEDED);
        assertThat(Files.readAllLines(journals.resolve("a.txt"))).containsExactlyInAnyOrder(
                Long.toString(inside.id()), Long.toString(absoluteInside.id()));
    }

    private static HttpResponse<String> post(int port, String body) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/jobs"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}

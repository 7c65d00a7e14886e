package dev.quiesce.web;

import dev.quiesce.job.Job;
import dev.quiesce.api.JobContext;
import dev.quiesce.api.JobHandler;
import dev.quiesce.job.JobAdmission;
import dev.quiesce.job.JobHandlers;
import dev.quiesce.job.PayloadBinder;
import dev.quiesce.queue.QueueProperties;
import jakarta.validation.Validation;
import tools.jackson.databind.json.JsonMapper;
import dev.quiesce.job.JobTypes;
import dev.quiesce.api.JobState;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What every API test shares: two tiny job types, job fixtures, and the problem+json assertion. */
final class ApiTestSupport {

    static final Instant CREATED = Instant.parse("2030-01-02T03:04:05.123456Z");

    private ApiTestSupport() {
    }

    /** Real {@link JobTypes} over real {@link JobHandlers} (the slice does not scan the job package) and the API's non-web beans. */
    @TestConfiguration(proxyBeanMethods = false)
    @Import({JobRequestValidator.class, ApiConfiguration.class})
    static class Handlers {
        @Bean
        PayloadBinder payloadBinder(JsonMapper mapper) {
            return new PayloadBinder(mapper, Validation.buildDefaultValidatorFactory().getValidator());
        }

        @Bean
        JobTypes jobTypes(PayloadBinder binder) {
            return new JobTypes(new JobHandlers(List.of(new EchoHandler(), new CountHandler()), List.of()), List.of(), binder);
        }

        @Bean
        JobAdmission jobAdmission(JobTypes types, JsonMapper mapper, QueueProperties queue) {
            return new JobAdmission(types, mapper, queue.maxPayload().toBytes(), queue.runAtHorizon());
        }
    }

    /** Accepts any payload. */
    static final class EchoHandler implements JobHandler<JsonNode> {
        @Override
        public String type() {
            return "echo";
        }

        @Override
        public String run(JsonNode payload, JobContext context) {
            return null;
        }
    }

    /** Wants {@code {"n": <positive integer>}}, like a real handler checking its payload at enqueue time. */
    static final class CountHandler implements JobHandler<JsonNode> {
        @Override
        public String type() {
            return "count";
        }

        @Override
        public void validate(JsonNode payload) {
            if (!payload.path("n").isInt() || payload.path("n").asInt() < 1) {
                throw new IllegalArgumentException("n must be a positive integer");
            }
        }

        @Override
        public String run(JsonNode payload, JobContext context) {
            return null;
        }
    }

    static Job job(long id, JobState state) {
        return job(id, "echo", state, "{\"x\":1}");
    }

    static Job job(long id, String type, JobState state, String payload) {
        return new Job(id, type, state, payload, 0, 0, 5, 0, 0, null, null, null, null,
                CREATED, CREATED, null, null);
    }

    /** An RFC 9457 body with every member a client relies on, and a detail that leaks no Java internals. */
    static void assertProblem(MvcTestResult result, HttpStatus status, String... detailParts) {
        assertThat(result).hasStatus(status).hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.status").isEqualTo(status.value());
        assertThat(result).bodyJson().extractingPath("$.type").asString().isNotBlank();
        assertThat(result).bodyJson().extractingPath("$.title").asString().isNotBlank();
        assertThat(result).bodyJson().extractingPath("$.detail").asString()
                .isNotBlank()
                .contains(detailParts.length == 0 ? List.of("") : List.of(detailParts))
                .doesNotContain("java.", "tools.jackson", "springframework", "Exception", "dev.quiesce", "\tat ");
    }
}

package dev.quiesce.web;

import dev.quiesce.QuiesceApplication;
import dev.quiesce.api.JobContext;
import dev.quiesce.api.JobHandler;
import dev.quiesce.job.JobTypes;
import dev.quiesce.testing.TestContexts;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.OpenAPI;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The OpenAPI document against the real service (in this JVM, on H2, with an API token and a typed job type of the
 * test's own): its operations are exactly the controller's mappings, and every answer the service gives — each status
 * provoked for real below — is declared, with its media type, for the operation that gave it.
 */
class OpenApiDocumentTest {

    private static final String TOKEN = "s3cret-token";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PROBLEM_JSON = "application/problem+json";

    /** The test's typed payload: what a team's own job type looks like. */
    public record Thumbnail(@NotBlank String image, @Min(16) @Max(4096) int width) {
    }

    @Configuration(proxyBeanMethods = false)
    static class ThumbnailJobs {
        @Bean
        JobHandler<Thumbnail> thumbnailJob() {
            return new JobHandler<>() {
                @Override
                public String type() {
                    return "thumbnail";
                }

                @Override
                public String description() {
                    return "Scales an image down to a width";
                }

                @Override
                public String run(Thumbnail payload, JobContext context) {
                    return payload.image() + "@" + payload.width();
                }
            };
        }
    }

    @TempDir
    static Path dataDir;

    private static ConfigurableApplicationContext context;
    private static URI base;
    private static String documentText;
    private static JsonNode document;
    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        context = TestContexts.start(Map.of(
                "server.port", 0,
                "management.server.port", 0,
                "quiesce.data-dir", dataDir.toString(),
                "quiesce.children.size", 0,
                "quiesce.worker.poll-interval", "100ms",
                "quiesce.queue.max-payload", "1KB",
                "quiesce.api.token", TOKEN), QuiesceApplication.class, ThumbnailJobs.class);
        base = URI.create("http://127.0.0.1:" + context.getEnvironment().getRequiredProperty("local.server.port"));
        Answer answer = send("GET", "/v3/api-docs", null, null, null);
        assertThat(answer.status()).as("the document needs no token").isEqualTo(200);
        documentText = answer.body();
        document = JSON.readTree(documentText);
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.close();
        }
    }

    @Test
    void theDocumentHasExactlyTheControllersMappings() {
        RequestMappingHandlerMapping mapping = context.getBean("requestMappingHandlerMapping",
                RequestMappingHandlerMapping.class);
        Set<String> mapped = new TreeSet<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mapping.getHandlerMethods().entrySet()) {
            if (entry.getValue().getBeanType().getPackageName().equals(JobController.class.getPackageName())) {
                for (String path : entry.getKey().getPatternValues()) {
                    entry.getKey().getMethodsCondition().getMethods()
                            .forEach(method -> mapped.add(method.name() + " " + path));
                }
            }
        }

        assertThat(mapped).as("the API has mappings").isNotEmpty();
        assertThat(documentedOperations()).as("the documented operations, against the mappings").isEqualTo(mapped);
    }

    /**
     * Provokes every answer the API gives, except 500 and 503 (an unexpected error, a database outage), and checks
     * each against the document; then that the document declares no other answer.
     */
    @Test
    void everyAnswerTheServiceGivesIsDeclaredForItsOperationAndNoOtherIs() {
        List<Exchange> exchanges = new ArrayList<>();
        Exchanges api = new Exchanges(exchanges);
        String thumbnail = "{\"type\": \"thumbnail\", \"payload\": {\"image\": \"a.png\", \"width\": 64}";

        long queued = id(api.call("POST /jobs", "/jobs", thumbnail + ", \"idempotencyKey\": \"k1\"}", 201));
        api.call("POST /jobs", "/jobs", thumbnail + ", \"idempotencyKey\": \"k1\"}", 200);
        api.call("POST /jobs", "/jobs",
                "{\"type\": \"thumbnail\", \"payload\": {\"image\": \"b.png\", \"width\": 64}, \"idempotencyKey\": \"k1\"}", 409);
        api.call("POST /jobs", "/jobs", "{\"type\": \"thumbnail\", \"payload\": {\"image\": \"a.png\", \"width\": 8}}", 400);
        api.call("POST /jobs", "/jobs", "{\"type\": \"sleep\", \"payload\": \"" + "x".repeat(2048) + "\"}", 413);
        api.send("POST /jobs", "POST", "/jobs", "text/plain", thumbnail + "}", TOKEN, 415);
        api.send("POST /jobs", "POST", "/jobs", "application/json", thumbnail + "}", null, 401);

        String batch = "{\"jobs\": [" + thumbnail + "}, " + thumbnail + ", \"idempotencyKey\": \"k2\"}]}";
        api.call("POST /jobs/batch", "/jobs/batch", batch, 201);
        api.call("POST /jobs/batch", "/jobs/batch", "{\"jobs\": []}", 400);
        api.call("POST /jobs/batch", "/jobs/batch",
                "{\"jobs\": [{\"type\": \"sleep\", \"payload\": {\"ms\": 1}, \"idempotencyKey\": \"k1\"}]}", 409);
        api.call("POST /jobs/batch", "/jobs/batch",
                "{\"jobs\": [{\"type\": \"sleep\", \"payload\": \"" + "x".repeat(2048) + "\"}]}", 413);
        api.send("POST /jobs/batch", "POST", "/jobs/batch", "text/plain", batch, TOKEN, 415);
        api.send("POST /jobs/batch", "POST", "/jobs/batch", "application/json", batch, "wrong", 401);

        api.send("GET /jobs/{id}", "GET", "/jobs/" + queued, null, null, TOKEN, 200);
        api.send("GET /jobs/{id}", "GET", "/jobs/999999", null, null, TOKEN, 404);
        api.send("GET /jobs/{id}", "GET", "/jobs/abc", null, null, TOKEN, 400);
        api.send("GET /jobs/{id}", "GET", "/jobs/" + queued, null, null, null, 401);

        String first = api.send("GET /jobs", "GET", "/jobs?state=queued&limit=1&order=oldest", null, null, TOKEN, 200);
        api.send("GET /jobs", "GET", "/jobs?limit=10&after=" + JSON.readTree(first).path("next").asString(), null, null, TOKEN, 200);
        api.send("GET /jobs", "GET", "/jobs?after=yesterday", null, null, TOKEN, 400);
        api.send("GET /jobs", "GET", "/jobs?limit=0", null, null, TOKEN, 400);
        api.send("GET /jobs", "GET", "/jobs", null, null, null, 401);

        long sleeping = id(api.call("POST /jobs", "/jobs", "{\"type\": \"sleep\", \"payload\": {\"ms\": 60000}}", 201));
        await().atMost(Duration.ofSeconds(30)).until(() -> state(sleeping).equals("RUNNING"));
        api.send("POST /jobs/{id}/cancel", "POST", "/jobs/" + sleeping + "/cancel", null, null, TOKEN, 202);
        long waiting = id(api.call("POST /jobs", "/jobs", "{\"type\": \"sleep\", \"payload\": {\"ms\": 1}, \"runAt\": \""
                + Instant.now().plus(1, ChronoUnit.DAYS) + "\"}", 201));
        api.send("POST /jobs/{id}/cancel", "POST", "/jobs/" + waiting + "/cancel", null, null, TOKEN, 200);
        api.send("POST /jobs/{id}/cancel", "POST", "/jobs/" + waiting + "/cancel", null, null, TOKEN, 409);
        api.send("POST /jobs/{id}/cancel", "POST", "/jobs/999999/cancel", null, null, TOKEN, 404);
        api.send("POST /jobs/{id}/cancel", "POST", "/jobs/x/cancel", null, null, TOKEN, 400);
        api.send("POST /jobs/{id}/cancel", "POST", "/jobs/" + queued + "/cancel", null, null, null, 401);

        api.send("POST /jobs/{id}/retry", "POST", "/jobs/" + waiting + "/retry", null, null, TOKEN, 200);
        api.send("POST /jobs/{id}/retry", "POST", "/jobs/" + waiting + "/retry", null, null, TOKEN, 409);
        api.send("POST /jobs/{id}/retry", "POST", "/jobs/999999/retry", null, null, TOKEN, 404);
        api.send("POST /jobs/{id}/retry", "POST", "/jobs/x/retry", null, null, TOKEN, 400);
        api.send("POST /jobs/{id}/retry", "POST", "/jobs/" + waiting + "/retry", null, null, null, 401);
        api.send("POST /jobs/retry", "POST", "/jobs/retry?state=failed&type=sleep", null, null, TOKEN, 200);
        api.send("POST /jobs/retry", "POST", "/jobs/retry?state=QUEUED", null, null, TOKEN, 400);
        api.send("POST /jobs/retry", "POST", "/jobs/retry", null, null, null, 401);
        await().atMost(Duration.ofSeconds(30)).until(() -> state(waiting).equals("SUCCEEDED"));
        api.send("DELETE /jobs/{id}", "DELETE", "/jobs/" + waiting, null, null, null, 401);
        api.send("DELETE /jobs/{id}", "DELETE", "/jobs/" + waiting, null, null, TOKEN, 204);
        api.send("DELETE /jobs/{id}", "DELETE", "/jobs/" + waiting, null, null, TOKEN, 404);
        long later = id(api.call("POST /jobs", "/jobs", "{\"type\": \"sleep\", \"payload\": {\"ms\": 1}, \"runAt\": \""
                + Instant.now().plus(1, ChronoUnit.DAYS) + "\"}", 201));
        api.send("DELETE /jobs/{id}", "DELETE", "/jobs/" + later, null, null, TOKEN, 409);
        api.send("DELETE /jobs/{id}", "DELETE", "/jobs/x", null, null, TOKEN, 400);

        String fleet = api.send("GET /instances", "GET", "/instances", null, null, TOKEN, 200);
        api.send("GET /instances", "GET", "/instances", null, null, null, 401);
        String instance = JSON.readTree(fleet).path("instances").path(0).path("id").asString();
        api.send("POST /instances/{id}/quiet", "POST", "/instances/" + instance + "/quiet", null, null, TOKEN, 200);
        api.send("POST /instances/{id}/quiet", "POST", "/instances/nobody/quiet", null, null, TOKEN, 404);
        api.send("POST /instances/{id}/quiet", "POST", "/instances/" + instance + "/quiet", null, null, null, 401);
        api.send("POST /instances/{id}/resume", "POST", "/instances/" + instance + "/resume", null, null, TOKEN, 200);
        api.send("POST /instances/{id}/resume", "POST", "/instances/nobody/resume", null, null, TOKEN, 404);
        api.send("POST /instances/{id}/resume", "POST", "/instances/" + instance + "/resume", null, null, null, 401);
        api.send("POST /instances/quiet", "POST", "/instances/quiet", null, null, TOKEN, 200);
        api.send("POST /instances/quiet", "POST", "/instances/quiet", null, null, null, 401);
        api.send("POST /instances/resume", "POST", "/instances/resume", null, null, TOKEN, 200);
        api.send("POST /instances/resume", "POST", "/instances/resume", null, null, null, 401);
        api.send("GET /shutdowns", "GET", "/shutdowns?limit=5", null, null, TOKEN, 200);
        api.send("GET /shutdowns", "GET", "/shutdowns?limit=0", null, null, TOKEN, 400);
        api.send("GET /shutdowns", "GET", "/shutdowns", null, null, null, 401);

        Set<String> problemTypes = new HashSet<>();
        Map<String, Set<String>> provoked = new TreeMap<>();
        for (Exchange exchange : exchanges) {
            JsonNode responses = operation(exchange.operation()).path("responses");
            String status = Integer.toString(exchange.status());
            assertThat(responses.has(status)).as("%s declares %s", exchange.operation(), status).isTrue();
            provoked.computeIfAbsent(exchange.operation(), operation -> new TreeSet<>()).add(status);
            if (exchange.status() == 204) {
                assertThat(exchange.body()).as("%s 204 has no body", exchange.operation()).isEmpty();
                assertThat(responses.path(status).has("content")).as("%s 204 declares no content", exchange.operation()).isFalse();
                continue;
            }
            String mediaType = exchange.contentType().split(";")[0];
            assertThat(responses.path(status).path("content").has(mediaType))
                    .as("%s %s declares %s", exchange.operation(), status, mediaType).isTrue();
            String ref = responses.path(status).path("content").path(mediaType).path("schema").path("$ref").asString();
            assertFitsSchema(JSON.readTree(exchange.body()), ref.substring(ref.lastIndexOf('/') + 1));
            if (exchange.status() >= 400) {
                assertThat(mediaType).isEqualTo(PROBLEM_JSON);
                problemTypes.add(JSON.readTree(exchange.body()).path("type").asString());
            }
        }

        assertThat(provoked.keySet()).as("every operation was called").isEqualTo(documentedOperations());
        for (String operation : provoked.keySet()) {
            Set<String> declared = new TreeSet<>(operation(operation).path("responses").propertyNames());
            declared.removeAll(Set.of("500", "503"));
            assertThat(provoked.get(operation)).as("what %s answered, against what it declares", operation)
                    .isEqualTo(declared);
        }
        assertThat(problemTypes).as("problem types").isNotEmpty();
        assertThat(schema("Problem").path("properties").path("type").path("enum").valueStream()
                .map(JsonNode::asString).toList()).containsAll(problemTypes);
        assertThat(operation("POST /jobs").path("responses").path("201").path("headers").has("Location")).isTrue();
    }

    @Test
    void withATokenEveryOperationRequiresTheBearerSchemeAndDeclares401() {
        assertThat(document.path("components").path("securitySchemes").path(ProblemResponses.BEARER).path("scheme")
                .asString()).isEqualTo("bearer");
        for (String operation : documentedOperations()) {
            assertThat(operation(operation).path("security").toString()).as(operation).contains(ProblemResponses.BEARER);
            assertThat(operation(operation).path("responses").has("401")).as(operation).isTrue();
        }
    }

    @Test
    void aTypedJobTypesPayloadSchemaShowsItsFieldsAndConstraints() {
        JsonNode mapping = schema("JobRequest").path("discriminator").path("mapping");
        assertThat(mapping.path("thumbnail").asString()).isEqualTo("#/components/schemas/ThumbnailJobRequest");
        JsonNode request = schema("ThumbnailJobRequest");
        assertThat(request.path("properties").path("type").path("enum").toString()).isEqualTo("[\"thumbnail\"]");
        assertThat(request.path("description").asString()).contains("Scales an image down to a width");
        assertThat(request.path("required").toString()).contains("\"type\"", "\"payload\"");
        assertThat(request.path("properties").path("payload").path("$ref").asString())
                .isEqualTo("#/components/schemas/Thumbnail");

        JsonNode payload = schema("Thumbnail");
        assertThat(payload.path("properties").path("image").path("type").asString()).isEqualTo("string");
        assertThat(payload.path("properties").path("image").path("minLength").asInt()).isEqualTo(1);
        assertThat(payload.path("required").toString()).contains("\"image\"");
        assertThat(payload.path("properties").path("width").path("minimum").asInt()).isEqualTo(16);
        assertThat(payload.path("properties").path("width").path("maximum").asInt()).isEqualTo(4096);
        assertThat(payload.path("additionalProperties").asBoolean(true)).as("unknown fields are refused").isFalse();
    }

    @Test
    void theDocumentListsEveryJobTypeARawOneWithAnyJsonPayload() {
        Set<String> types = context.getBean(JobTypes.class).types();
        JsonNode request = schema("JobRequest");

        assertThat(request.path("discriminator").path("mapping").propertyNames()).containsExactlyInAnyOrderElementsOf(types);
        assertThat(request.path("oneOf").size()).isEqualTo(types.size());
        JsonNode sleepPayload = schema("SleepJobRequest").path("properties").path("payload");
        assertThat(sleepPayload.has("type")).as("any JSON value").isFalse();
        assertThat(sleepPayload.has("$ref")).isFalse();
    }

    /**
     * Without a validator on the class path: the document reads into swagger's OpenAPI model, every reference
     * resolves, operation ids are unique, and it is the same every time it is served.
     */
    @Test
    void theDocumentIsWellFormedOpenApi3() throws IOException {
        OpenAPI model = Json.mapper().readValue(documentText, OpenAPI.class);
        assertThat(model.getOpenapi()).startsWith("3.0");
        assertThat(model.getPaths()).isNotEmpty();

        List<String> refs = new ArrayList<>();
        collectRefs(document, refs);
        assertThat(refs).isNotEmpty().allSatisfy(ref -> assertThat(ref).startsWith("#/components/schemas/"));
        assertThat(refs).allSatisfy(ref -> assertThat(document.path("components").path("schemas")
                .has(ref.substring("#/components/schemas/".length()))).as(ref).isTrue());
        List<String> ids = documentedOperations().stream().map(op -> operation(op).path("operationId").asString()).toList();
        assertThat(ids).doesNotHaveDuplicates().doesNotContain("");
        assertThat(send("GET", "/v3/api-docs", null, null, null).body()).isEqualTo(documentText);
    }

    @Test
    void theYamlDocumentAndSwaggerUiAreServedWithoutTheToken() {
        Answer yaml = send("GET", "/v3/api-docs.yaml", null, null, null);
        assertThat(yaml.status()).isEqualTo(200);
        assertThat(yaml.body()).contains("openapi: 3.0", "/jobs/{id}/cancel:");
        assertThat(send("GET", "/swagger-ui/index.html", null, null, null).status()).isEqualTo(200);
    }

    // --- the document ---

    private static Set<String> documentedOperations() {
        Set<String> operations = new TreeSet<>();
        document.path("paths").properties().forEach(path -> path.getValue().propertyNames()
                .forEach(method -> operations.add(method.toUpperCase() + " " + path.getKey())));
        return operations;
    }

    private static JsonNode operation(String operation) {
        String[] parts = operation.split(" ", 2);
        JsonNode node = document.path("paths").path(parts[1]).path(parts[0].toLowerCase());
        assertThat(node.isMissingNode()).as("documented: %s", operation).isFalse();
        return node;
    }

    private static JsonNode schema(String name) {
        JsonNode schema = document.path("components").path("schemas").path(name);
        assertThat(schema.isMissingNode()).as("schema %s", name).isFalse();
        return schema;
    }

    /** Every field of a real body is declared in the schema, and every field it requires is there. */
    private static void assertFitsSchema(JsonNode body, String name) {
        JsonNode schema = schema(name);
        Set<String> declared = new HashSet<>(schema.path("properties").propertyNames());
        assertThat(body.propertyNames()).as("fields of a %s", name).isSubsetOf(declared);
        schema.path("required").valueStream().map(JsonNode::asString)
                .forEach(field -> assertThat(body.has(field)).as("%s.%s", name, field).isTrue());
        if (name.equals("JobsResponse")) {
            body.path("jobs").valueStream().forEach(job -> assertFitsSchema(job, "JobResponse"));
        }
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            node.properties().forEach(field -> {
                if (field.getKey().equals("$ref")) {
                    refs.add(field.getValue().asString());
                } else {
                    collectRefs(field.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(element -> collectRefs(element, refs));
        }
    }

    // --- the service ---

    private record Answer(int status, String contentType, String body) {
    }

    private record Exchange(String operation, int status, String contentType, String body) {
    }

    /** Sends requests, checks each got the status the test meant to provoke, and records it for the document. */
    private record Exchanges(List<Exchange> recorded) {

        String call(String operation, String path, String json, int expected) {
            return send(operation, "POST", path, "application/json", json, TOKEN, expected);
        }

        String send(String operation, String method, String path, String contentType, String body, String token,
                    int expected) {
            Answer answer = OpenApiDocumentTest.send(method, path, contentType, body, token);
            assertThat(answer.status()).as("%s %s -> %s", method, path, answer.body()).isEqualTo(expected);
            recorded.add(new Exchange(operation, answer.status(), answer.contentType(), answer.body()));
            return answer.body();
        }
    }

    private static long id(String job) {
        return JSON.readTree(job).path("id").asLong();
    }

    private static String state(long id) {
        return JSON.readTree(send("GET", "/jobs/" + id, null, null, TOKEN).body()).path("state").asString();
    }

    private static Answer send(String method, String path, String contentType, String body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted during " + method + " " + path, e);
        }
    }
}

package dev.quiesce.testing;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A small client of the service's job API (DESIGN §7), on {@code java.net.http} and Jackson 3, over one keep-alive
 * HTTP/1.1 client. The typed calls assert the status they expect; {@link #get} and {@link #post} return any answer.
 */
public final class QuiesceApi {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    public QuiesceApi(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    /** The same service with another bearer token (null: none). */
    public QuiesceApi withToken(String other) {
        return new QuiesceApi(base, other);
    }

    public Response get(String path) {
        return send(request(path).GET());
    }

    /** {@code GET}, or empty while nothing answers yet (a service still starting). */
    public Optional<Response> tryGet(String path) {
        HttpRequest request = request(path).GET().build();
        try {
            return Optional.of(exchange(request));
        } catch (IOException e) {
            // Connection refused or reset: the server is not up yet, which is what the caller polls for.
            return Optional.empty();
        }
    }

    public Response post(String path, String body) {
        return send(request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Response post(String path, Object body) {
        return post(path, JSON.writeValueAsString(body));
    }

    /** Enqueues one job and returns it, asserting the 201. */
    public JsonNode enqueue(Map<String, Object> job) {
        Response response = post("/jobs", job);
        assertThat(response.status()).as("POST /jobs %s -> %s", job, response.body()).isEqualTo(201);
        return response.json();
    }

    /** Enqueues jobs with {@code POST /jobs/batch} (up to 1000) and returns them in order, asserting the 201. */
    public List<JsonNode> enqueueAll(List<Map<String, Object>> jobs) {
        Response response = post("/jobs/batch", Map.of("jobs", jobs));
        assertThat(response.status()).as("POST /jobs/batch -> %s", response.body()).isEqualTo(201);
        List<JsonNode> created = new ArrayList<>();
        response.json().get("jobs").forEach(created::add);
        assertThat(created).hasSameSizeAs(jobs);
        return created;
    }

    public JsonNode job(long id) {
        Response response = get("/jobs/" + id);
        assertThat(response.status()).as("GET /jobs/%s -> %s", id, response.body()).isEqualTo(200);
        return response.json();
    }

    /** {@code GET /jobs?<query>}, e.g. {@code state=RUNNING&limit=1000}. */
    public List<JsonNode> jobs(String query) {
        Response response = get("/jobs?" + query);
        assertThat(response.status()).as("GET /jobs?%s -> %s", query, response.body()).isEqualTo(200);
        List<JsonNode> jobs = new ArrayList<>();
        response.json().get("jobs").forEach(jobs::add);
        return jobs;
    }

    /** A job request as the API takes it; {@code payload} entries in pairs: name, value, name, value... */
    public static Map<String, Object> jobRequest(String type, int priority, int maxAttempts, Object... payload) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i < payload.length; i += 2) {
            body.put((String) payload[i], payload[i + 1]);
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("type", type);
        request.put("payload", body);
        request.put("priority", priority);
        request.put("maxAttempts", maxAttempts);
        return request;
    }

    public static long id(JsonNode job) {
        return job.get("id").asLong();
    }

    public static String state(JsonNode job) {
        return text(job, "state");
    }

    /** A string field, or null when absent or JSON null. */
    public static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    public static Instant instant(JsonNode node, String field) {
        String value = text(node, field);
        return value == null ? null : Instant.parse(value);
    }

    public static boolean isTerminal(String state) {
        return "SUCCEEDED".equals(state) || "FAILED".equals(state) || "CANCELLED".equals(state);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private Response send(HttpRequest.Builder builder) {
        HttpRequest request = builder.build();
        try {
            return exchange(request);
        } catch (IOException e) {
            throw new AssertionError(request.method() + " " + request.uri() + " failed: " + e, e);
        }
    }

    private Response exchange(HttpRequest request) throws IOException {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""),
                    response.headers().firstValue("Location").orElse(null),
                    response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted during " + request.method() + " " + request.uri(), e);
        }
    }

    public record Response(int status, String contentType, String location, String body) {

        public JsonNode json() {
            return JSON.readTree(body);
        }

        public boolean isProblem() {
            return contentType.startsWith("application/problem+json");
        }

        /** The problem's {@code detail}, or null. */
        public String detail() {
            return isProblem() ? text(json(), "detail") : null;
        }
    }
}

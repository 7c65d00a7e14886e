package dev.quiesce.testing;

import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * A client of a service's management port (actuator endpoints), wherever the service runs: a
 * {@link QuiesceProcess} ({@link QuiesceProcess#actuator()}), a pod or a terminal started by the test itself.
 * "Nothing answers" is a value here, not a failure: tests poll through start and stop.
 */
public final class Actuator {

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    public Actuator(int port) {
        this.base = URI.create("http://127.0.0.1:" + port);
    }

    /** {@code GET /actuator/<path>}: status and JSON body, or empty while nothing answers. */
    public Optional<Answer> get(String path) {
        return get(path, null);
    }

    /** {@code GET /actuator/<path>} with {@code Authorization: Bearer <token>} unless {@code token} is null. */
    public Optional<Answer> get(String path, String token) {
        return send(request(path, token).GET().build());
    }

    /**
     * {@code POST /actuator/<path>} without a body (the write operations of {@code quiesce}), with
     * {@code Authorization: Bearer <token>} unless {@code token} is null; empty while nothing answers.
     */
    public Optional<Answer> post(String path, String token) {
        return send(request(path, token).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/actuator/" + path)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    private Optional<Answer> send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return Optional.of(new Answer(response.statusCode(), response.body()));
        } catch (IOException e) {
            // Refused or reset: the management server is not (or no longer) up.
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted during " + request.method() + " " + request.uri(), e);
        }
    }

    /** The readiness probe's status, or -1 when nothing answers. */
    public int readiness() {
        return get("health/readiness").map(Answer::status).orElse(-1);
    }

    public record Answer(int status, String body) {

        public JsonNode json() {
            return QuiesceApi.JSON.readTree(body);
        }
    }
}

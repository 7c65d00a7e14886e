package dev.quiesce.bench;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/** The few calls of the job API the benchmark needs, over one keep-alive HTTP/1.1 client. */
final class ServiceApi {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    ServiceApi(URI base) {
        this.base = base;
    }

    /** {@code POST /jobs/batch} of {@code count} jobs of one type and payload, all due at {@code runAt}; expects 201. */
    void enqueueBatch(String type, String payloadJson, int count, Instant runAt) {
        StringBuilder body = new StringBuilder(count * 80 + 16).append("{\"jobs\":[");
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                body.append(',');
            }
            body.append("{\"type\":\"").append(type).append("\",\"payload\":").append(payloadJson);
            if (runAt != null) {
                body.append(",\"runAt\":\"").append(runAt).append('"');
            }
            body.append('}');
        }
        body.append("]}");
        HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("/jobs/batch"))
                .timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build());
        if (response.statusCode() != 201) {
            throw new BenchFailure("POST /jobs/batch answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** {@code GET /jobs?state=..&limit=..}: the jobs listed (at most {@code limit}). */
    JsonNode list(String state, int limit) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("/jobs?state=" + state + "&limit=" + limit))
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build());
        if (response.statusCode() != 200) {
            throw new BenchFailure("GET /jobs?state=" + state + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body()).get("jobs");
    }

    int count(String state, int limit) {
        return list(state, limit).size();
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new BenchFailure(request.method() + " " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailure("interrupted");
        }
    }
}

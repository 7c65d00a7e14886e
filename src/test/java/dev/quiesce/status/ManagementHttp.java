package dev.quiesce.status;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small HTTP client of one server of a test's application context (the management port, or the API's). */
final class ManagementHttp {

    /** Decimals as written: a test can tell {@code 28.000} from {@code 28}. */
    static final JsonMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    ManagementHttp(int port) {
        this.base = URI.create("http://127.0.0.1:" + port);
    }

    Answer get(String path) {
        return get(path, null);
    }

    /** {@code authorization} is the whole header value, or null for none. */
    Answer get(String path, String authorization) {
        return send(request(path, authorization).GET());
    }

    Answer post(String path) {
        return post(path, null);
    }

    Answer post(String path, String authorization) {
        return send(request(path, authorization).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private HttpRequest.Builder request(String path, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request;
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.headers().firstValue("WWW-Authenticate").orElse(null), response.body());
        } catch (IOException e) {
            throw new AssertionError("no answer from " + base, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    record Answer(int status, String contentType, String challenge, String body) {

        JsonNode json() {
            return JSON.readTree(body);
        }
    }
}

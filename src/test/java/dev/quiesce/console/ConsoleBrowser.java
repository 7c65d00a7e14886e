package dev.quiesce.console;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a browser does with the console over real HTTP, minus the rendering: keeps cookies (by name; the tests use
 * one host and the /console path), follows no redirect on its own (the tests assert them), and submits forms with
 * the CSRF token the last page carried in its hidden {@code _csrf} field.
 */
final class ConsoleBrowser {

    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final Map<String, String> cookies = new LinkedHashMap<>();
    private String lastCsrf;

    ConsoleBrowser(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    Page get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    /** Submits a form as the page would: its fields and the CSRF token of the last page loaded. */
    Page submit(String path, String... fields) {
        String[] withCsrf = new String[fields.length + 2];
        System.arraycopy(fields, 0, withCsrf, 0, fields.length);
        withCsrf[fields.length] = "_csrf";
        withCsrf[fields.length + 1] = lastCsrf == null ? "" : lastCsrf;
        return post(path, withCsrf);
    }

    /** A POST with exactly these fields (no CSRF token unless given). */
    Page post(String path, String... fields) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i + 1 < fields.length; i += 2) {
            if (!body.isEmpty()) {
                body.append('&');
            }
            body.append(URLEncoder.encode(fields[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(fields[i + 1], StandardCharsets.UTF_8));
        }
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    String cookie(String name) {
        return cookies.get(name);
    }

    void setCookie(String name, String value) {
        cookies.put(name, value);
    }

    private Page send(HttpRequest.Builder request) {
        if (!cookies.isEmpty()) {
            request.header("Cookie", cookies.entrySet().stream().map(c -> c.getKey() + "=" + c.getValue())
                    .collect(Collectors.joining("; ")));
        }
        request.timeout(Duration.ofSeconds(30));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            List<String> setCookies = response.headers().allValues("Set-Cookie");
            for (String setCookie : setCookies) {
                String pair = setCookie.split(";", 2)[0];
                String name = pair.substring(0, pair.indexOf('='));
                String value = pair.substring(pair.indexOf('=') + 1);
                if (value.isEmpty() || setCookie.contains("Max-Age=0")) {
                    cookies.remove(name);
                } else {
                    cookies.put(name, value);
                }
            }
            Matcher csrf = CSRF_FIELD.matcher(response.body());
            if (csrf.find()) {
                lastCsrf = csrf.group(1);
            }
            return new Page(response.statusCode(), response.headers().firstValue("Location").orElse(null),
                    setCookies, response.body());
        } catch (IOException e) {
            throw new IllegalStateException("the console did not answer " + request.build().uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** One answer: status, redirect target, the cookies it set (whole header values) and the HTML. */
    record Page(int status, String location, List<String> setCookies, String body) {

        String setCookie(String name) {
            return setCookies.stream().filter(c -> c.startsWith(name + "=")).findFirst().orElse(null);
        }

        boolean has(String elementId) {
            return body.contains("id=\"" + elementId + "\"");
        }

        /** The {@code href} of the link with this id, as the browser would follow it (entities decoded). */
        String href(String elementId) {
            Matcher m = Pattern.compile("<a[^>]*id=\"" + Pattern.quote(elementId) + "\"[^>]*href=\"([^\"]*)\"")
                    .matcher(body);
            return m.find() ? m.group(1).replace("&amp;", "&") : null;
        }

        /** The ids of the jobs table's rows ({@code id="job-<id>"}), in page order. */
        List<Long> jobIds() {
            Matcher m = Pattern.compile("<tr id=\"job-(\\d+)\"").matcher(body);
            List<Long> ids = new java.util.ArrayList<>();
            while (m.find()) {
                ids.add(Long.parseLong(m.group(1)));
            }
            return ids;
        }

        /** The text of the element with this id, entities decoded (for elements without child elements). */
        String text(String elementId) {
            Matcher m = Pattern.compile("id=\"" + Pattern.quote(elementId) + "\"[^>]*>(.*?)</", Pattern.DOTALL)
                    .matcher(body);
            return m.find() ? unescape(m.group(1).strip()) : null;
        }

        private static String unescape(String html) {
            return html.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
                    .replace("&amp;", "&");
        }
    }
}

package dev.quiesce.console;

import dev.quiesce.QuiesceApplication;
import dev.quiesce.api.JobState;
import dev.quiesce.job.Job;
import dev.quiesce.job.NewJob;
import dev.quiesce.queue.JobQueue;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code quiesce.api.token} and {@code quiesce.api.read-token} set, the console lets in only who signs in with
 * one of them, lets only the token act, and refuses a forged session cookie or a form without its CSRF token — while
 * the HTTP API keeps its bearer token and needs no CSRF token. Over real HTTP against the whole service.
 */
@SpringBootTest(classes = QuiesceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "management.server.port=0",
                "quiesce.children.size=0",
                "quiesce.api.token=" + ConsoleAccessTest.TOKEN,
                "quiesce.api.read-token=" + ConsoleAccessTest.READ_TOKEN})
@DirtiesContext
class ConsoleAccessTest {

    static final String TOKEN = "operator-s3cret";
    static final String READ_TOKEN = "viewer-s3cret";

    /** No handler has this type: its jobs stay QUEUED, whatever the dispatcher does meanwhile. */
    private static final String IDLE_TYPE = "console-access-idle";

    @DynamicPropertySource
    static void dataDirectory(DynamicPropertyRegistry registry) throws IOException {
        String dir = Files.createTempDirectory("quiesce-console-access-").toString();
        registry.add("quiesce.data-dir", () -> dir);
    }

    @LocalServerPort
    int port;
    @Autowired
    JobQueue queue;
    @Autowired
    ApplicationContext context;

    private ConsoleBrowser signedIn(String token) {
        ConsoleBrowser browser = new ConsoleBrowser(port);
        browser.get("/console/login");
        ConsoleBrowser.Page login = browser.submit("/console/login", "token", token);
        assertThat(login.status()).as(login.body()).isEqualTo(303);
        assertThat(login.location()).endsWith("/console");
        return browser;
    }

    private Job idleJob() {
        return queue.enqueue(NewJob.of(IDLE_TYPE, "{\"n\":1}")).job();
    }

    @Test
    void aPageWithoutASessionRedirectsToTheLoginForm() {
        ConsoleBrowser browser = new ConsoleBrowser(port);

        ConsoleBrowser.Page jobs = browser.get("/console/jobs");
        assertThat(jobs.status()).isEqualTo(302);
        assertThat(jobs.location()).endsWith("/console/login");

        ConsoleBrowser.Page login = browser.get("/console/login");
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.has("login")).isTrue();
        assertThat(login.has("token")).isTrue();
        assertThat(login.has("login-error")).isFalse();
        assertThat(browser.cookie("XSRF-TOKEN")).as("the CSRF cookie").isNotBlank();
    }

    @Test
    void anHtmxPollWithoutASessionIsTold401AndWhereToSignIn() throws Exception {
        HttpResponse<String> poll = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/console/jobs?fragment=table"))
                .header("HX-Request", "true").GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(poll.statusCode()).isEqualTo(401);
        assertThat(poll.headers().firstValue("HX-Redirect")).hasValue("/console/login");
    }

    @Test
    void theTokenSignsInWithASignedHttpOnlyCookieAndOpensThePages() {
        ConsoleBrowser browser = new ConsoleBrowser(port);
        browser.get("/console/login");

        ConsoleBrowser.Page login = browser.submit("/console/login", "token", TOKEN);

        assertThat(login.status()).isEqualTo(303);
        String cookie = login.setCookie(ConsoleSessionCookie.NAME);
        assertThat(cookie).contains("HttpOnly", "SameSite=Lax", "Path=/console", "Max-Age=43200")
                .doesNotContain(TOKEN).doesNotContain("Secure");
        assertThat(login.location()).doesNotContain(TOKEN);
        ConsoleBrowser.Page jobs = browser.get("/console/jobs");
        assertThat(jobs.status()).isEqualTo(200);
        assertThat(jobs.has("jobs")).isTrue();
        assertThat(jobs.text("role")).isEqualTo("OPERATOR");
        assertThat(jobs.has("logout")).isTrue();
        assertThat(jobs.has("nav-overview")).isTrue();
        assertThat(browser.cookie("JSESSIONID")).as("no server-side session").isNull();
    }

    @Test
    void aWrongTokenGetsTheFormAgainWith401AndNothingElse() {
        ConsoleBrowser browser = new ConsoleBrowser(port);
        browser.get("/console/login");

        ConsoleBrowser.Page login = browser.submit("/console/login", "token", TOKEN + "x");

        assertThat(login.status()).isEqualTo(401);
        assertThat(login.has("login-error")).isTrue();
        assertThat(login.has("login")).isTrue();
        assertThat(login.setCookie(ConsoleSessionCookie.NAME)).isNull();
        assertThat(login.body()).doesNotContain(TOKEN).doesNotContain("read-token is");
        assertThat(browser.get("/console/jobs").status()).isEqualTo(302);
    }

    @Test
    void theReadTokenShowsPagesWithoutButtonsAndItsActionsAre403() {
        Job job = idleJob();
        ConsoleBrowser viewer = signedIn(READ_TOKEN);

        ConsoleBrowser.Page page = viewer.get("/console/jobs/" + job.id());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text("role")).isEqualTo("VIEWER");
        assertThat(page.text("job-state")).isEqualTo("QUEUED");
        assertThat(page.has("cancel")).isFalse();
        assertThat(page.has("retry")).isFalse();
        assertThat(page.has("delete")).isFalse();
        assertThat(viewer.get("/console/jobs").has("retry-all")).isFalse();

        ConsoleBrowser.Page cancel = viewer.submit("/console/jobs/" + job.id() + "/cancel");
        assertThat(cancel.status()).isEqualTo(403);
        assertThat(viewer.submit("/console/jobs/retry").status()).isEqualTo(403);
        assertThat(queue.find(job.id()).orElseThrow().state()).isEqualTo(JobState.QUEUED);
    }

    @Test
    void theOperatorSeesTheButtonsAndAnActionRedirectsWithWhatHappened() {
        Job job = idleJob();
        ConsoleBrowser operator = signedIn(TOKEN);
        ConsoleBrowser.Page page = operator.get("/console/jobs/" + job.id());
        assertThat(page.has("cancel")).isTrue();
        assertThat(page.has("retry")).as("a queued job cannot be retried").isFalse();

        ConsoleBrowser.Page cancel = operator.submit("/console/jobs/" + job.id() + "/cancel");

        assertThat(cancel.status()).isEqualTo(303);
        assertThat(cancel.location()).endsWith("/console/jobs/" + job.id());
        assertThat(queue.find(job.id()).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
        ConsoleBrowser.Page after = operator.get("/console/jobs/" + job.id());
        assertThat(after.text("flash")).isEqualTo("Job " + job.id() + " cancelled.");
        assertThat(after.text("job-state")).isEqualTo("CANCELLED");
        assertThat(operator.get("/console/jobs/" + job.id()).text("flash")).as("shown once").isEmpty();

        operator.get("/console/jobs/" + job.id());
        ConsoleBrowser.Page again = operator.submit("/console/jobs/" + job.id() + "/cancel");
        assertThat(again.status()).isEqualTo(303);
        assertThat(operator.get("/console/jobs/" + job.id()).text("flash"))
                .isEqualTo("Job " + job.id() + " has already finished (CANCELLED) and cannot be cancelled.");
    }

    @Test
    void aPostWithoutTheCsrfTokenIs403AndChangesNothing() {
        Job job = idleJob();
        ConsoleBrowser operator = signedIn(TOKEN);

        ConsoleBrowser.Page cancel = operator.post("/console/jobs/" + job.id() + "/cancel");

        assertThat(cancel.status()).isEqualTo(403);
        assertThat(queue.find(job.id()).orElseThrow().state()).isEqualTo(JobState.QUEUED);
        ConsoleBrowser stranger = new ConsoleBrowser(port);
        assertThat(stranger.post("/console/login", "token", TOKEN).status()).as("login needs it too").isEqualTo(403);
    }

    @Test
    void aForgedOrAlteredSessionCookieIsRejected() {
        ConsoleBrowser viewer = signedIn(READ_TOKEN);
        String genuine = viewer.cookie(ConsoleSessionCookie.NAME);
        String[] parts = genuine.split("\\.");
        assertThat(parts[0]).isEqualTo("VIEWER");

        ConsoleBrowser promoted = new ConsoleBrowser(port);
        promoted.setCookie(ConsoleSessionCookie.NAME, "OPERATOR." + parts[1] + "." + parts[2]);
        assertThat(promoted.get("/console/jobs").status()).isEqualTo(302);

        ConsoleBrowser prolonged = new ConsoleBrowser(port);
        prolonged.setCookie(ConsoleSessionCookie.NAME, "VIEWER." + (Long.parseLong(parts[1]) + 86_400) + "." + parts[2]);
        assertThat(prolonged.get("/console/jobs").status()).isEqualTo(302);

        String signedElsewhere = "OPERATOR." + parts[1] + "."
                + ConsoleSessionCookie.signature("another-token", "OPERATOR." + parts[1]);
        ConsoleBrowser foreign = new ConsoleBrowser(port);
        foreign.setCookie(ConsoleSessionCookie.NAME, signedElsewhere);
        assertThat(foreign.get("/console/jobs").status()).isEqualTo(302);

        ConsoleBrowser copy = new ConsoleBrowser(port);
        copy.setCookie(ConsoleSessionCookie.NAME, genuine);
        assertThat(copy.get("/console/jobs").status()).as("the genuine cookie, as another pod gets it").isEqualTo(200);
    }

    @Test
    void logoutClearsTheSessionCookie() {
        ConsoleBrowser operator = signedIn(TOKEN);
        operator.get("/console/jobs");

        ConsoleBrowser.Page logout = operator.submit("/console/logout");

        assertThat(logout.status()).isEqualTo(302);
        assertThat(logout.location()).endsWith("/console/login");
        assertThat(logout.setCookie(ConsoleSessionCookie.NAME)).contains("Max-Age=0");
        assertThat(operator.cookie(ConsoleSessionCookie.NAME)).isNull();
        assertThat(operator.get("/console/jobs").status()).isEqualTo(302);
    }

    @Test
    void theApiKeepsItsBearerTokenAndNeedsNoCsrfToken() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest.Builder enqueue = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/jobs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\": \"sleep\", \"payload\": {\"ms\": 1}}"));

        HttpResponse<String> without = http.send(enqueue.build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> with = http.send(enqueue.header("Authorization", "Bearer " + TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> readToken = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/jobs"))
                .header("Authorization", "Bearer " + READ_TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(without.statusCode()).isEqualTo(401);
        assertThat(without.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(with.statusCode()).as(with.body()).isEqualTo(201);
        assertThat(readToken.statusCode()).as("the read-token is the console's only").isEqualTo(401);
    }

    @Test
    void springSecurityAddsOneChainForTheConsoleAndNoGeneratedUser() {
        assertThat(context.getBeansOfType(SecurityFilterChain.class)).hasSize(1);
        assertThat(context.getBeanNamesForType(UserDetailsService.class)).isEmpty();
        assertThat(context.getBeansOfType(SecurityFilterChain.class).values().iterator().next().getFilters())
                .isNotEmpty();
    }
}

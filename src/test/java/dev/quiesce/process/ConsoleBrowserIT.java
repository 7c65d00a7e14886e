package dev.quiesce.process;

import dev.quiesce.testing.QuiesceApi;
import dev.quiesce.testing.QuiesceProcess;
import dev.quiesce.testing.QuiesceProcesses;
import dev.quiesce.testing.Signal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

import static dev.quiesce.testing.QuiesceApi.id;
import static dev.quiesce.testing.QuiesceApi.jobRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The console in a real browser against the real jar: Debian's headless Chromium, driven through its own
 * chromedriver (set explicitly, so Selenium Manager never downloads anything). An operator logs in with the token,
 * sees jobs enqueued over HTTP appear, reads a failed job's stack trace and retries it from the page, quiets the
 * fleet and sees claiming stop, resumes it; the service is stopped with SIGTERM and the next start shows the
 * shutdown's report. A second browser logged in with the read-only token sees no action buttons. Every wait is for
 * an outcome on the page (the pages refresh themselves through htmx; nothing here reloads them to see a change), with
 * bounds that only catch a hang. Screenshots of the main pages go to the build directory, and to
 * {@code -Dquiesce.screenshots.dir} when set (the README's pictures in {@code docs/} are made that way).
 */
class ConsoleBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** Only stops a hung run: the pages poll every 2 s and the instance heartbeats every second. */
    private static final Duration BOUND = Duration.ofSeconds(30);

    @RegisterExtension
    final QuiesceProcesses quiesce = new QuiesceProcesses();

    private final String token = "operator-" + UUID.randomUUID();
    private final String readToken = "viewer-" + UUID.randomUUID();
    private final List<WebDriver> browsers = new ArrayList<>();

    /** Held here: java.util.logging keeps loggers weakly, and a collected one forgets its level. */
    private static final Logger DEVTOOLS = Logger.getLogger("org.openqa.selenium.devtools");

    @BeforeAll
    static void chromiumIsInstalled() {
        // Selenium warns that it has no DevTools bindings for this Chromium's version; the test uses none.
        DEVTOOLS.setLevel(Level.SEVERE);
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed) {
            System.err.println("""
                    ################################################################################
                    # ConsoleBrowserIT SKIPPED: %s or %s is missing.
                    # Install Debian's chromium and chromium-driver (apt-get install chromium
                    # chromium-driver); .ci/run installs them, so CI never skips this test.
                    ################################################################################"""
                    .formatted(CHROMIUM, CHROMEDRIVER));
        }
        assumeTrue(installed, "chromium and chromedriver from Debian are needed at " + CHROMIUM + " and " + CHROMEDRIVER);
    }

    @AfterEach
    void closeBrowsers() {
        browsers.forEach(WebDriver::quit);
    }

    @Test
    void anOperatorSeesJobsRetriesAFailureQuietsTheFleetAndReadsTheShutdownReport() {
        String[] options = {"--quiesce.api.token=" + token, "--quiesce.api.read-token=" + readToken,
                "--quiesce.builtin.fault-types=true", "--quiesce.queue.heartbeat=1s", "--quiesce.instance-name=worker-0"};
        QuiesceProcess service = quiesce.start(options);
        QuiesceApi api = service.api(token);
        String base = "http://127.0.0.1:" + service.port();
        WebDriver browser = browser();

        logIn(browser, base, token);
        browser.get(base + "/console");
        assertThat(text(browser, By.id("fleet-state"))).isEqualTo("claiming");
        long succeededBefore = count(browser, "SUCCEEDED");

        List<Long> sleeps = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sleeps.add(id(api.enqueue(jobRequest("sleep", 0, 3, "ms", 200))));
        }
        waitFor(browser, "the overview counts the 20 jobs as they finish, without a reload",
                d -> count(d, "SUCCEEDED") >= succeededBefore + 20);

        browser.get(base + "/console/jobs");
        for (long sleep : sleeps) {
            waitFor(browser, "job " + sleep + " listed", d -> !d.findElements(By.id("job-" + sleep)).isEmpty());
        }
        assertThat(text(browser, By.cssSelector("#job-" + sleeps.getLast() + " .state"))).isEqualTo("SUCCEEDED");
        screenshot(browser, "console-jobs.png");

        long failing = id(api.enqueue(Map.of("type", "fail", "payload", Map.of("message", "boom", "times", 1), "maxAttempts", 1)));
        await("the fail job fails").atMost(BOUND).until(() -> "FAILED".equals(QuiesceApi.state(api.job(failing))));
        browser.get(base + "/console/jobs/" + failing);
        assertThat(text(browser, By.id("job-state"))).isEqualTo("FAILED");
        String trace = text(browser, By.id("error-trace"));
        assertThat(trace).contains("boom").contains("at dev.quiesce");
        screenshot(browser, "console-job.png");
        click(browser, By.id("retry"));
        waitForText(browser, By.id("job-state"), "SUCCEEDED"::equals, "the retried job succeeds on the page");

        browser.get(base + "/console/instances");
        String row = liveInstanceRow(browser);
        assertThat(text(browser, By.cssSelector("#" + row + " .state"))).startsWith("RUNNING");
        click(browser, By.id("fleet-quiet"));
        waitForText(browser, By.id("flash"), message -> message.contains("quiet"), "the flash says the fleet was told");
        waitForText(browser, By.cssSelector("#" + row + " .state"), state -> state.startsWith("QUIET"),
                "the instance follows the fleet's quiet order within a few heartbeats");
        screenshot(browser, "console-instances.png");

        long held = id(api.enqueue(jobRequest("sleep", 0, 3, "ms", 50)));
        browser.get(base + "/console/jobs/" + held);
        await("a quiet fleet claims nothing").during(Duration.ofSeconds(4)).atMost(BOUND)
                .until(() -> text(browser, By.id("job-state")), "QUEUED"::equals);
        browser.get(base + "/console");
        assertThat(text(browser, By.id("fleet-state"))).isEqualTo("quiet");

        browser.get(base + "/console/instances");
        click(browser, By.id("fleet-resume"));
        waitForText(browser, By.cssSelector("#" + row + " .state"), state -> state.startsWith("RUNNING"),
                "the instance claims again");
        browser.get(base + "/console/jobs/" + held);
        waitForText(browser, By.id("job-state"), "SUCCEEDED"::equals, "the held job runs once the fleet resumed");

        readOnlySessionSeesNoActions(api, base, browser);

        // Three jobs running when the signal comes: the report shows them drained, and a dispatch phase to see.
        for (int i = 0; i < 3; i++) {
            api.enqueue(jobRequest("sleep", 0, 3, "ms", 2500));
        }
        await("three jobs running").atMost(BOUND).until(() -> api.jobs("state=RUNNING").size() == 3);
        service.signal(Signal.TERM);
        QuiesceProcess.Exit exit = service.awaitExit(QuiesceProcesses.EXIT_BOUND);
        assertThat(exit.code()).as("exit status after SIGTERM").isIn(0, 128 + 15);

        QuiesceProcess next = quiesce.start(options);
        browser.manage().deleteAllCookies();
        String nextBase = "http://127.0.0.1:" + next.port();
        logIn(browser, nextBase, token);
        browser.get(nextBase + "/console/shutdowns");
        WebElement shutdown = browser.findElement(By.cssSelector("#shutdowns .shutdown"));
        assertThat(shutdown.findElement(By.className("outcome")).getText()).isEqualTo("clean");
        assertThat(shutdown.getText()).contains("drained 3,");
        WebElement timeline = shutdown.findElement(By.cssSelector("svg.timeline"));
        assertThat(timeline.findElements(By.cssSelector("rect.phase"))).as("one bar per phase").hasSizeGreaterThanOrEqualTo(4);
        assertThat(timeline.findElements(By.cssSelector("line.budget"))).hasSize(1);
        screenshot(browser, "console-shutdowns.png");

        browser.get(nextBase + "/console");
        assertThat(text(browser, By.id("last-shutdown"))).isEqualTo("clean");
        assertThat(count(browser, "SUCCEEDED")).as("the hour's jobs, read from the database by the next start")
                .isGreaterThanOrEqualTo(succeededBefore + 25);
        screenshot(browser, "console-overview.png");
    }

    /** A failed job: the operator's page offers a retry, the viewer's the same page without one (nor fleet buttons). */
    private void readOnlySessionSeesNoActions(QuiesceApi api, String base, WebDriver operator) {
        long failed = id(api.enqueue(Map.of("type", "fail", "payload", Map.of("message", "again", "times", 1), "maxAttempts", 1)));
        await("the second fail job fails").atMost(BOUND).until(() -> "FAILED".equals(QuiesceApi.state(api.job(failed))));
        operator.get(base + "/console/jobs/" + failed);
        assertThat(operator.findElements(By.id("retry"))).as("the operator's retry button").hasSize(1);

        WebDriver viewer = browser();
        logIn(viewer, base, readToken);
        viewer.get(base + "/console/jobs/" + failed);
        assertThat(text(viewer, By.id("job-state"))).isEqualTo("FAILED");
        assertThat(viewer.findElements(By.id("retry"))).as("a read-only session's retry button").isEmpty();
        viewer.get(base + "/console/instances");
        assertThat(viewer.findElements(By.id("instances"))).hasSize(1);
        assertThat(viewer.findElements(By.id("fleet-quiet"))).as("a read-only session's fleet buttons").isEmpty();
    }

    private WebDriver browser() {
        Path profile;
        try {
            profile = Files.createDirectories(quiesce.dataDir().resolve("chromium-" + (browsers.size() + 1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(quiesce.file("chromedriver-" + (browsers.size() + 1) + ".log").toFile())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1400,1000", "--user-data-dir=" + profile);
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(BOUND);
        browsers.add(driver);
        return driver;
    }

    private static void logIn(WebDriver browser, String base, String token) {
        browser.get(base + "/console/login");
        browser.findElement(By.id("token")).sendKeys(token);
        browser.findElement(By.cssSelector("#login button[type=submit]")).click();
        waitFor(browser, "signed in", d -> !d.findElements(By.id("logout")).isEmpty());
        assertThat(browser.findElements(By.id("login-error"))).isEmpty();
    }

    /** The row of the one instance that is not stopped (the data directory holds one live instance). */
    private static String liveInstanceRow(WebDriver browser) {
        return new WebDriverWait(browser, BOUND).ignoring(StaleElementReferenceException.class)
                .withMessage("a live instance on the instances page")
                .until(d -> d.findElements(By.cssSelector("#instances tbody tr[id^='instance-']")).stream()
                        .filter(tr -> !tr.findElement(By.className("state")).getText().startsWith("STOPPED"))
                        .map(tr -> tr.getAttribute("id"))
                        .findFirst().orElse(null));
    }

    private static long count(WebDriver browser, String state) {
        return Long.parseLong(text(browser, By.id("count-" + state)).trim());
    }

    /** The element's text, read again if htmx swapped the element between finding and reading it. */
    private static String text(WebDriver browser, By by) {
        return new WebDriverWait(browser, BOUND).ignoring(StaleElementReferenceException.class)
                .withMessage(by + " on " + browser.getCurrentUrl())
                .until(d -> d.findElement(by).getText());
    }

    private static String waitForText(WebDriver browser, By by, Predicate<String> condition, String what) {
        return new WebDriverWait(browser, BOUND).ignoring(StaleElementReferenceException.class)
                .withMessage(what + " (" + by + " on " + browser.getCurrentUrl() + ")")
                .until(d -> {
                    String text = d.findElement(by).getText().trim();
                    return condition.test(text) ? text : null;
                });
    }

    private static void waitFor(WebDriver browser, String what, Function<WebDriver, Boolean> condition) {
        new WebDriverWait(browser, BOUND).ignoring(StaleElementReferenceException.class)
                .withMessage(what + " (on " + browser.getCurrentUrl() + ")")
                .until(condition::apply);
    }

    /** Clicks the button once it is clickable, finding it again if a refresh replaced it. */
    private static void click(WebDriver browser, By by) {
        new WebDriverWait(browser, BOUND).ignoring(StaleElementReferenceException.class)
                .withMessage("click " + by + " on " + browser.getCurrentUrl())
                .until(d -> {
                    WebElement button = ExpectedConditions.elementToBeClickable(by).apply(d);
                    if (button == null) {
                        return false;
                    }
                    button.click();
                    return true;
                });
    }

    private static void screenshot(WebDriver browser, String name) {
        byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        List<Path> dirs = new ArrayList<>();
        dirs.add(QuiesceProcesses.packagedJar().getParent().resolve("console-screenshots"));
        String docs = System.getProperty("quiesce.screenshots.dir", "");
        if (!docs.isBlank()) {
            dirs.add(Path.of(docs));
        }
        try {
            for (Path dir : dirs) {
                Files.write(Files.createDirectories(dir).resolve(name), png);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

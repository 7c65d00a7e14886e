package dev.quiesce.deploy;

import dev.quiesce.testing.Actuator;
import dev.quiesce.testing.JobsDb;
import dev.quiesce.testing.JobsDb.JobRow;
import dev.quiesce.testing.ProcScan;
import dev.quiesce.testing.ProcScan.Proc;
import dev.quiesce.testing.QuiesceApi;
import dev.quiesce.testing.QuiesceProcess;
import dev.quiesce.testing.QuiesceProcesses;
import dev.quiesce.testing.Signal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code kubectl delete pod} without a cluster: the image's exact entrypoint (tini, java and its options, read
 * from the Dockerfile) runs on the image's layout rebuilt from the packaged jar, with its AOT caches, as PID 1 of
 * a fresh PID namespace, with the environment the Helm chart gives the pod. While jobs run on threads and in
 * child JVMs, the test does what the kubelet does: SIGTERM to the container's PID 1, then SIGKILL to whatever
 * is left at the end of {@code terminationGracePeriodSeconds}. The service must have exited before that, with
 * every job terminal or back in the queue, a {@code clean} termination message, and nothing left in the
 * namespace (DESIGN §1, §4).
 */
class PodSimulationIT {

    private static final Duration GRACE_PERIOD = ChartEnvironment.GRACE_PERIOD;
    /** Bounds that only stop a hung test; they never measure speed. */
    private static final Duration READY_BOUND = Duration.ofSeconds(90);
    /** The service's list of live child JVMs in the data directory (DESIGN §5), rewritten at each start and exit. */
    private static final String CHILD_LEDGER = "children.ledger";
    private static final Pattern AOT_COMPLAINT = Pattern.compile("\\[(warning|error)\\s*]\\[aot");

    @RegisterExtension
    final QuiesceProcesses sandbox = new QuiesceProcesses();

    @Test
    void aDeletedPodDrainsItsJobsExitsBeforeTheKubeletsSigkillAndLeavesItsNamespaceEmpty() throws IOException {
        Path tini = requireTools();
        Dockerfile dockerfile = Dockerfile.project();
        long buildStart = System.nanoTime();
        PodLayout layout = PodLayout.build(dockerfile, QuiesceProcesses.packagedJar(), sandbox.file("image"), tini,
                true, sandbox.file("image-build.log"));
        System.out.printf("POD-SIM image layout with AOT caches built in %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - buildStart));

        int port = QuiesceProcess.freePort();
        int managementPort = QuiesceProcess.freePort();
        Path terminationLog = sandbox.file("termination-log");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.putAll(layout.environment(dockerfile.environment()));
        env.putAll(ChartEnvironment.variables(layout.data(), terminationLog));
        env.put("SERVER_PORT", Integer.toString(port));
        env.put("MANAGEMENT_SERVER_PORT", Integer.toString(managementPort));
        env.put("QUIESCE_ROUTING_SHA256", "child"); // this test's own: some jobs in child JVMs

        Pod pod = sandbox.watch(Pod.start(layout.command(dockerfile.entrypoint()), env, layout.app(),
                sandbox.file("pod.log")));
        assertThat(pod.init().pid()).as("PID 1 of the namespace, seen from the host").isPositive();
        awaitReady(pod, new Actuator(managementPort));

        QuiesceApi api = new QuiesceApi(URI.create("http://127.0.0.1:" + port), null);
        List<Long> ids = PodLoad.startAndAwaitRunning(api, Duration.ofMillis(100));

        ProcessHandle service = pod.service().orElseThrow(() -> new AssertionError("PID 1 runs no JVM"));
        List<Proc> children = pod.processes().stream().filter(Proc::isChildJvm).toList();
        assertThat(mapsFile(service.pid(), layout.app().resolve("quiesce.aot")))
                .as("the service JVM runs from the AOT cache trained for it").isTrue();
        assertThat(children).as("child JVMs in the namespace").hasSize(ChartEnvironment.CHILDREN)
                .allSatisfy(child -> assertThat(mapsFile(child.pid(), layout.app().resolve("child.aot")))
                        .as("child %s runs from the AOT cache trained for children", child.pid()).isTrue());

        pod.signal(Signal.TERM);
        long signalledAt = System.nanoTime();
        boolean exitedInGrace = pod.awaitExit(GRACE_PERIOD);
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalledAt);
        if (!exitedInGrace) {
            pod.kill(); // as the kubelet would at the end of the grace period
        }
        System.out.printf("POD-SIM SIGTERM to PID 1 -> %s after %d ms (grace period %d s)%n",
                exitedInGrace ? "exit " + pod.exitCode() : "still running: SIGKILLed", tookMillis,
                GRACE_PERIOD.toSeconds());

        assertThat(exitedInGrace).as("the pod exited by itself within the grace period, before the kubelet's SIGKILL")
                .isTrue();
        assertThat(pod.exitCode()).as("exit status of the namespace's PID 1: tini -e 143 reports java's 143 "
                + "(128 + SIGTERM, after its graceful stop) as 0").isZero();
        // When its PID 1 exits the kernel kills whatever is left in a PID namespace, so these two only show that
        // the pod ended as a runtime sees it and that nothing of it runs outside the namespace. That the service
        // itself saw every child JVM exit before it exited is the ledger's to say (and the report's, below).
        assertThat(pod.processes()).as("processes left in the pod's PID namespace").isEmpty();
        String marker = sandbox.dataDir().toString();
        assertThat(ProcScan.all()).as("processes anywhere that run from this pod's files or data")
                .filteredOn(p -> !p.isZombie() && (p.cmdline().contains(marker)
                        || ProcScan.environ(p.pid()).stream().anyMatch(v -> v.contains(marker))))
                .isEmpty();
        assertThat(Files.readAllLines(layout.data().resolve(CHILD_LEDGER)))
                .as("child JVMs still in the service's ledger (%s) when it exited", CHILD_LEDGER)
                .allSatisfy(line -> assertThat(line).isBlank());
        assertThat(pod.log().text().lines().filter(line -> AOT_COMPLAINT.matcher(line).find()).toList())
                .as("JVM complaints about an AOT cache, from the service or a child").isEmpty();

        try (JobsDb db = JobsDb.open(layout.data())) {
            List<JobRow> rows = db.jobs();
            assertThat(rows).extracting(JobRow::id).as("jobs in the database").containsExactlyElementsOf(ids);
            assertThat(rows).as("every job terminal or QUEUED after the stop, none RUNNING")
                    .allSatisfy(row -> assertThat(row.state()).as("job %d (%s)", row.id(), row.type())
                            .isIn("QUEUED", "SUCCEEDED", "FAILED", "CANCELLED"));
            assertThat(rows).as("jobs back in the queue: unowned, their attempt refunded")
                    .filteredOn(row -> row.state().equals("QUEUED"))
                    .allSatisfy(row -> {
                        assertThat(row.owner()).as("owner of job %d", row.id()).isNull();
                        assertThat(row.attempts()).as("attempts of job %d", row.id()).isZero();
                    });
            assertThat(db.workerStates()).as("the instance's row after its stop").containsExactly("STOPPED");
        }

        assertThat(terminationLog).as("termination message (QUIESCE_SHUTDOWN_TERMINATIONMESSAGEPATH)").exists();
        String firstLine = Files.readAllLines(terminationLog, StandardCharsets.UTF_8).stream().findFirst().orElse("");
        assertThat(firstLine).as("first line of the termination message").startsWith("clean");
    }

    /** tini, after checking that tini and unshare are there and a new PID namespace can be made; else skip. */
    private static Path requireTools() {
        Optional<Path> tini = onPath("tini");
        skipUnless(tini.isPresent(), "tini is not installed (apt-get install tini; .ci/run installs it)");
        skipUnless(onPath("unshare").isPresent(), "unshare (util-linux) is not installed");
        String probe;
        int status;
        try {
            Process process = new ProcessBuilder(List.of("unshare", "--pid", "--fork", "--mount-proc", "true"))
                    .redirectErrorStream(true).start();
            probe = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            status = process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
        } catch (IOException e) {
            probe = e.toString();
            status = -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while probing unshare", e);
        }
        skipUnless(status == 0, "unshare --pid --fork --mount-proc fails here (it needs root or unprivileged user "
                + "namespaces): " + probe);
        return tini.get();
    }

    private static void skipUnless(boolean condition, String why) {
        if (!condition) {
            System.err.println("!!!! PodSimulationIT SKIPPED: " + why);
        }
        assumeTrue(condition, "PodSimulationIT SKIPPED: " + why);
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "/usr/bin:/bin" : path).split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static void awaitReady(Pod pod, Actuator actuator) {
        long deadline = System.nanoTime() + READY_BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            if (!pod.isAlive()) {
                throw new AssertionError("the pod exited with " + pod.exitCode() + " before it was ready; log:\n"
                        + pod.log().tail(80));
            }
            if (actuator.readiness() == 200) {
                return;
            }
            QuiesceProcess.pause(Duration.ofMillis(100));
        }
        throw new AssertionError("the pod was not ready within " + READY_BOUND + "; log:\n" + pod.log().tail(80));
    }

    /** Whether the process has {@code file} mapped into memory (a JVM maps the AOT cache it uses). */
    private static boolean mapsFile(long pid, Path file) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "maps")).stream()
                    .anyMatch(line -> line.endsWith(" " + file) || line.endsWith("\t" + file));
        } catch (IOException e) {
            return false; // gone: it maps nothing
        }
    }
}

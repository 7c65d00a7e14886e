package dev.quiesce.bench;

import dev.quiesce.testing.QuiesceApi;
import dev.quiesce.testing.QuiesceProcess;
import dev.quiesce.testing.QuiesceProcesses;
import dev.quiesce.testing.Signal;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.quiesce.testing.QuiesceApi.instant;
import static dev.quiesce.testing.QuiesceApi.jobRequest;
import static dev.quiesce.testing.QuiesceApi.state;
import static dev.quiesce.testing.QuiesceApi.text;

/**
 * The fleet figures of issue 9 (items 2 and 5), not a test: two instances of the packaged jar on the benchmark
 * PostgreSQL database. {@code wake}: a job enqueued on instance A (quiet, so it claims nothing) — how long until it
 * starts on the idle instance B (the job's startedAt, the database clock, against the wall clock when the POST
 * was sent; same machine). {@code rescue}: a job running on A, A SIGKILLed — how long until the job starts again on
 * B. Each with the fleet listener on and, for comparison, off ({@code quiesce.fleet.listen=false}: B finds the job
 * at its next poll, and a dead instance by its heartbeat). Prints a Markdown table; run with {@code bench/fleet}.
 */
public final class FleetBenchmark {

    private static final Duration BOUND = Duration.ofSeconds(120);
    private static final List<String> OFF = List.of("--quiesce.fleet.listen=false", "--quiesce.fleet.rescue=false");

    private final BenchDatabase database;
    private final Path dir;
    private int launched;

    private FleetBenchmark(BenchDatabase database, Path dir) {
        this.database = database;
        this.dir = dir;
    }

    public static void main(String[] args) throws Exception {
        int wakes = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int rescues = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        BenchDatabase database = new BenchDatabase(env("QUIESCE_BENCH_PG_URL", "jdbc:postgresql://127.0.0.1:5432/quiesce_bench"),
                env("QUIESCE_BENCH_PG_USER", "quiesce"), env("QUIESCE_BENCH_PG_PASSWORD", "quiesce"));
        if (database.problem() != null) {
            throw new BenchFailure("benchmark database unusable: " + database.problem());
        }
        FleetBenchmark bench = new FleetBenchmark(database, Files.createTempDirectory("quiesce-fleet-bench-"));
        List<String> rows = new ArrayList<>();
        List<Double> answered = new ArrayList<>();
        rows.add(bench.row("enqueue on A -> start on idle B, listener on", bench.wake(wakes, List.of(), answered)));
        rows.add(bench.row("(for scale: POST /jobs on A -> its 201, same runs)", answered));
        rows.add(bench.row("enqueue on A -> start on idle B, listener off (poll 1s)", bench.wake(Math.min(wakes, 10), OFF, new ArrayList<>())));
        rows.add(bench.row("SIGKILL of A -> its running job starts on B, rescue on", bench.rescue(rescues, List.of())));
        rows.add(bench.row("SIGKILL of A -> its running job starts on B, rescue off (heartbeat 2s)", bench.rescue(Math.min(rescues, 3), OFF)));
        System.out.println();
        System.out.println("| figure | n | median | min | max |");
        System.out.println("|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    private String row(String figure, List<Double> millis) {
        List<Double> sorted = millis.stream().sorted().toList();
        return String.format(Locale.ROOT, "| %s | %d | %.1f ms | %.1f ms | %.1f ms |", figure, sorted.size(),
                Stats.median(sorted), sorted.getFirst(), sorted.getLast());
    }

    /**
     * POST on quiet A -> startedAt on B, in ms, {@code n} times after three warm-up jobs; the POST's own round trip
     * goes to {@code answered}.
     */
    private List<Double> wake(int n, List<String> options, List<Double> answered) {
        database.reset();
        try (QuiesceProcess a = start(options); QuiesceProcess b = start(options)) {
            a.actuator().post("quiesce/quiet", null).orElseThrow();
            List<Double> millis = new ArrayList<>();
            for (int i = -3; i < n; i++) {
                Instant sent = Instant.now();
                long posted = System.nanoTime();
                long id = QuiesceApi.id(a.api().enqueue(jobRequest("sleep", 0, 1, "ms", 0)));
                long answer = System.nanoTime() - posted;
                JsonNode job = awaitStarted(b.api(), id);
                if (i >= 0) {
                    millis.add(Duration.between(sent, instant(job, "startedAt")).toNanos() / 1e6);
                    answered.add(answer / 1e6);
                }
                QuiesceProcess.pause(Duration.ofMillis(150));
            }
            System.out.printf("wake %s: %s%n", options, millis);
            return millis;
        }
    }

    /** SIGKILL of A running a job -> the job's startedAt on B, in ms, {@code n} times (A started again each time). */
    private List<Double> rescue(int n, List<String> options) {
        database.reset();
        List<Double> millis = new ArrayList<>();
        try (QuiesceProcess b = start(options)) {
            for (int i = 0; i < n; i++) {
                try (QuiesceProcess a = start(options)) {
                    b.actuator().post("quiesce/quiet", null).orElseThrow();
                    long id = QuiesceApi.id(a.api().enqueue(jobRequest("sleep", 0, 5, "ms", 60_000)));
                    String owner = text(awaitStarted(a.api(), id), "owner");
                    b.actuator().post("quiesce/resume", null).orElseThrow();
                    QuiesceProcess.pause(Duration.ofSeconds(1));
                    Instant killed = Instant.now();
                    a.signal(Signal.KILL);
                    JsonNode again = awaitRunningElsewhere(b.api(), id, owner);
                    millis.add(Duration.between(killed, instant(again, "startedAt")).toNanos() / 1e6);
                    b.api().post("/jobs/" + id + "/cancel", "");
                }
            }
        }
        System.out.printf("rescue %s: %s%n", options, millis);
        return millis;
    }

    private QuiesceProcess start(List<String> options) {
        launched++;
        List<String> all = new ArrayList<>(List.of("--spring.datasource.url=" + database.url(),
                "--spring.datasource.username=" + database.user(), "--spring.datasource.password=" + database.password(),
                "--quiesce.worker.threads=4", "--quiesce.children.size=0"));
        all.addAll(options);
        QuiesceProcess process = QuiesceProcess.launch(QuiesceProcesses.packagedJar(), dir.resolve("i" + launched),
                dir.resolve("i" + launched + ".log"), List.of("-Xmx384m"), all);
        process.awaitReady(QuiesceProcesses.START_BOUND);
        return process;
    }

    private static JsonNode awaitStarted(QuiesceApi api, long id) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = api.job(id);
            if (!"QUEUED".equals(state(job))) {
                return job;
            }
            QuiesceProcess.pause(Duration.ofMillis(5));
        }
        throw new BenchFailure("job " + id + " never started");
    }

    private static JsonNode awaitRunningElsewhere(QuiesceApi api, long id, String owner) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = api.job(id);
            if ("RUNNING".equals(state(job)) && !owner.equals(text(job, "owner"))) {
                return job;
            }
            QuiesceProcess.pause(Duration.ofMillis(5));
        }
        throw new BenchFailure("job " + id + " never ran again");
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}

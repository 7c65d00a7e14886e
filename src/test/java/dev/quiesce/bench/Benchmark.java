package dev.quiesce.bench;

import dev.quiesce.testing.JobsDb;
import dev.quiesce.testing.QuiesceApi;
import dev.quiesce.testing.QuiesceProcess;
import dev.quiesce.testing.Signal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The benchmark of issues 2 and 3 (not a test: run it with {@code bench/run}; the child-JVM scenarios are in
 * {@link ChildBenchmarks}). Every scenario starts the packaged jar
 * as a real process on a fresh data directory and free ports, drives it over HTTP, signals it, and reads the
 * figures from the database after the process exited. Prints a Markdown table and appends it, dated, with the
 * machine and the command, to BENCHMARKS.md.
 *
 * <pre>
 * scenarios: all (default) | throughput (= throughput-h2 throughput-pg) | throughput-h2 | throughput-pg
 *            | sigterm-idle | drain | startup
 *            | children (= child-throughput child-spawn child-stop child-parent-kill; issue 3, see ChildBenchmarks)
 * options:   --jobs=20000 --threads=2,8 --repeat=1 --lead=6 (seconds between enqueue start and runAt)
 *            --cap=120 (seconds after runAt before a throughput run is stopped and measured on what finished)
 *            --reps=5 (lifecycle repetitions) --jfr (record JFR in throughput runs) --no-write --note=TEXT
 *            --service-jvm-opts="-Xmx1g" --poll-ms=50
 *            --child-tasks=200000 --child-warmup=20000 (child-throughput) --spawns=20 (child-spawn)
 * env:       QUIESCE_BENCH_PG_URL (jdbc:postgresql://127.0.0.1:5432/quiesce_bench), QUIESCE_BENCH_PG_USER,
 *            QUIESCE_BENCH_PG_PASSWORD (quiesce/quiesce)
 * </pre>
 */
public final class Benchmark {

    static final double TARGET_H2 = 10_000;
    static final double TARGET_PG = 6_000;
    static final double TARGET_IDLE_EXIT = 0.5;
    static final double TARGET_DRAIN = 0.3;
    static final double TARGET_READY = 2.5;
    /** Boot's start-up line and the dispatcher's stop line: figures the service logs itself. */
    private static final Pattern STARTED = Pattern.compile("Started QuiesceApplication in ([0-9.]+) seconds");
    private static final Pattern DISPATCHER_STOPPED = Pattern.compile("Dispatcher stopped after (\\d+) ms");
    static final List<String> ALL = List.of("throughput-h2", "throughput-pg", "sigterm-idle", "drain", "startup",
            "child-throughput", "child-spawn", "child-stop", "child-parent-kill");

    private final Path jar;
    private final Path work;
    private final Path report;
    private final List<String> rawArgs;
    private final Set<String> scenarios = new LinkedHashSet<>();
    private int jobs = 20_000;
    private List<Integer> threads = List.of(2, 8);
    private int repeat = 1;
    private double leadSeconds = 10;
    private double capSeconds = 120;
    private int reps = 5;
    private long pollMillis = 50;
    private boolean jfr;
    private boolean write = true;
    private String note = "";
    private List<String> serviceJvm = List.of("-Xmx1g");
    private int childTasks = 200_000;
    private int childWarmup = 20_000;
    private int spawns = 20;
    private final String pgUrl = env("QUIESCE_BENCH_PG_URL", "jdbc:postgresql://127.0.0.1:5432/quiesce_bench");
    private final String pgUser = env("QUIESCE_BENCH_PG_USER", "quiesce");
    private final String pgPassword = env("QUIESCE_BENCH_PG_PASSWORD", "quiesce");

    private final List<String[]> rows = new ArrayList<>();
    private final List<String> details = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    private Benchmark(String[] args) {
        String jarProperty = System.getProperty("quiesce.jar");
        if (jarProperty == null || !Files.isRegularFile(Path.of(jarProperty))) {
            throw new IllegalArgumentException("-Dquiesce.jar must name the packaged jar (bench/run builds it); got " + jarProperty);
        }
        this.jar = Path.of(jarProperty).toAbsolutePath();
        this.report = Path.of(System.getProperty("bench.report", "BENCHMARKS.md")).toAbsolutePath();
        this.work = jar.getParent().resolve("bench").resolve(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString().replace(':', '-'));
        this.rawArgs = List.of(args);
        for (String arg : args) {
            if (arg.isBlank()) {
                continue;
            }
            String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : "";
            switch (arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg) {
                case "all" -> scenarios.addAll(ALL);
                case "throughput" -> scenarios.addAll(List.of("throughput-h2", "throughput-pg"));
                case "throughput-h2", "throughput-pg", "sigterm-idle", "drain", "startup",
                     "child-throughput", "child-spawn", "child-stop", "child-parent-kill" -> scenarios.add(arg);
                case "children" -> scenarios.addAll(ChildBenchmarks.SCENARIOS);
                case "--child-tasks" -> childTasks = Integer.parseInt(value);
                case "--child-warmup" -> childWarmup = Integer.parseInt(value);
                case "--spawns" -> spawns = Integer.parseInt(value);
                case "--jobs" -> jobs = Integer.parseInt(value);
                case "--threads" -> threads = Arrays.stream(value.split(",")).map(String::trim).map(Integer::parseInt).toList();
                case "--repeat" -> repeat = Integer.parseInt(value);
                case "--lead" -> leadSeconds = Double.parseDouble(value);
                case "--cap" -> capSeconds = Double.parseDouble(value);
                case "--reps" -> reps = Integer.parseInt(value);
                case "--poll-ms" -> pollMillis = Long.parseLong(value);
                case "--jfr" -> jfr = true;
                case "--no-write" -> write = false;
                case "--note" -> note = value;
                case "--service-jvm-opts" -> serviceJvm = Arrays.stream(value.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
                default -> throw new IllegalArgumentException("unknown argument " + arg + "\n" + usage());
            }
        }
        if (scenarios.isEmpty()) {
            scenarios.addAll(ALL);
        }
        if (jobs % 1000 != 0 && jobs > 1000) {
            throw new IllegalArgumentException("--jobs must be a multiple of 1000 (batches of 1000)");
        }
    }

    public static void main(String[] args) throws Exception {
        Benchmark bench;
        try {
            bench = new Benchmark(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(bench.run());
    }

    static String usage() {
        return """
                usage: bench/run [all | throughput | throughput-h2 | throughput-pg | sigterm-idle | drain | startup
                                  | children | child-throughput | child-spawn | child-stop | child-parent-kill]...
                                 [--jobs=20000] [--threads=2,8] [--repeat=1] [--lead=10] [--cap=120] [--reps=5] [--poll-ms=50]
                                 [--jfr] [--no-write] [--note=TEXT] [--service-jvm-opts="-Xmx1g"]
                                 [--child-tasks=200000] [--child-warmup=20000] [--spawns=20]""";
    }

    private int run() throws IOException {
        Files.createDirectories(work);
        warmUpHttpClient();
        log("Quiesce benchmark: %s; jar %s; work dir %s", scenarios, jar, work);
        if (scenarios.contains("throughput-h2")) {
            for (int t : threads) {
                guarded("throughput H2 " + t + " threads", () -> throughput(false, t));
            }
        }
        if (scenarios.contains("throughput-pg")) {
            String unreachable = postgres().problem();
            if (unreachable != null) {
                String message = "PostgreSQL throughput SKIPPED: cannot use " + pgUrl + " as " + pgUser + ": " + unreachable
                        + " (create it: su postgres -c \"createdb -O " + pgUser + " quiesce_bench\", or set QUIESCE_BENCH_PG_URL)";
                failures.add(message);
                log("!!! %s", message);
            } else {
                for (int t : threads) {
                    guarded("throughput PostgreSQL " + t + " threads", () -> throughput(true, t));
                }
            }
        }
        if (scenarios.contains("startup") || scenarios.contains("sigterm-idle")) {
            guarded("start/idle stop", this::lifecycle);
        }
        if (scenarios.contains("drain")) {
            guarded("drain", this::drain);
        }
        ChildBenchmarks children = new ChildBenchmarks(new ChildBenchmarks.Settings(jar, work, serviceJvm, reps, childTasks, childWarmup,
                spawns, jfr), rows, details);
        if (scenarios.contains("child-throughput")) {
            guarded("child throughput", children::throughput);
        }
        if (scenarios.contains("child-spawn")) {
            guarded("child spawn", children::spawn);
        }
        if (scenarios.contains("child-stop")) {
            guarded("child stop", children::stop);
        }
        if (scenarios.contains("child-parent-kill")) {
            guarded("child parent kill", children::parentKill);
        }
        String section = section();
        System.out.println();
        System.out.println(section);
        if (write) {
            appendReport(section);
            log("Appended to %s", report);
        }
        if (!failures.isEmpty()) {
            System.err.println();
            System.err.println("!!! BENCHMARK FAILURES (" + failures.size() + "):");
            failures.forEach(f -> System.err.println("!!!  - " + f));
            return 1;
        }
        return 0;
    }

    private void guarded(String what, Runnable scenario) {
        try {
            scenario.run();
        } catch (RuntimeException | AssertionError e) {
            // The shared harness fails with AssertionError (it serves the tests too): a failed figure, not a crash.
            String message = what + " FAILED: " + e.getMessage();
            failures.add(message);
            rows.add(new String[] {what, "FAILED", "", "see failures"});
            log("!!! %s", message);
        }
    }

    // ------------------------------------------------------------------------------------------- throughput

    private void throughput(boolean postgres, int threadCount) {
        String db = postgres ? "PostgreSQL" : "H2";
        List<Double> processing = new ArrayList<>();
        List<Double> withDiscovery = new ArrayList<>();
        long minDone = Long.MAX_VALUE;
        double lead = leadSeconds;
        for (int i = 1; i <= repeat; i++) {
            ThroughputRun run = throughputOnce(postgres, threadCount, i, lead);
            if (!run.enqueuedFirst()) {
                lead = Math.ceil(run.enqueueSeconds() * 2 + 2);
                leadSeconds = Math.max(leadSeconds, lead); // later runs start with the lead this machine needs
                log("!!! enqueue took %.1f s, past runAt: the jobs were not all enqueued first; again with a lead of %.0f s",
                        run.enqueueSeconds(), lead);
                run = throughputOnce(postgres, threadCount, i, lead);
                if (!run.enqueuedFirst()) {
                    throw new BenchFailure("enqueueing " + jobs + " jobs took " + run.enqueueSeconds() + " s, longer than the lead of " + lead + " s");
                }
            }
            processing.add(run.processingRate());
            withDiscovery.add(run.fromRunAtRate());
            minDone = Math.min(minDone, run.succeeded());
        }
        double target = postgres ? TARGET_PG : TARGET_H2;
        double a = Stats.median(processing);
        double b = Stats.median(withDiscovery);
        String suffix = (repeat > 1 ? " (median of " + repeat + ")" : "")
                + (minDone < jobs ? String.format(Locale.ROOT, " — **capped at %.0f s: only %,d of %,d done**", capSeconds, minDone, jobs) : "");
        rows.add(new String[] {"throughput " + db + ", " + threadCount + " threads: (a) processing " + jobs + " / (max finished_at − min started_at)",
                Stats.rate(a) + suffix, "≥ " + Stats.rate(target), Stats.atLeast(a, target, "jobs/s")});
        rows.add(new String[] {"throughput " + db + ", " + threadCount + " threads: (b) " + jobs + " / (max finished_at − run_at), incl. poll discovery",
                Stats.rate(b) + suffix, "≥ " + Stats.rate(target), Stats.atLeast(b, target, "jobs/s")});
    }

    record ThroughputRun(double enqueueSeconds, boolean enqueuedFirst, double processingRate, double fromRunAtRate, long succeeded) {
    }

    private ThroughputRun throughputOnce(boolean postgres, int threadCount, int iteration, double lead) {
        String name = "throughput-" + (postgres ? "pg" : "h2") + "-t" + threadCount + "-" + iteration + "-" + System.nanoTime() % 100000;
        Path dataDir = work.resolve(name);
        List<String> args = new ArrayList<>(List.of("--quiesce.worker.threads=" + threadCount));
        if (postgres) {
            postgres().reset();
            args.addAll(List.of("--spring.datasource.url=" + pgUrl, "--spring.datasource.username=" + pgUser,
                    "--spring.datasource.password=" + pgPassword));
        }
        List<String> jvm = new ArrayList<>(serviceJvm);
        if (jfr) {
            jvm.add("-XX:StartFlightRecording=filename=" + work.resolve(name + ".jfr") + ",settings=profile,dumponexit=true");
        }
        log("%s: %d jobs, %d threads, %s", name, jobs, threadCount, postgres ? pgUrl : "H2 file in " + dataDir);
        Instant runAt;
        double enqueueSeconds;
        double completionSeenSeconds;
        int polls = 0;
        boolean capped = false;
        QuiesceProcess service = QuiesceProcess.launch(jar, dataDir, work.resolve(name + ".log"), jvm, args);
        try (service) {
            service.awaitReady(Duration.ofSeconds(120), Duration.ofMillis(50));
            QuiesceApi api = service.api();
            runAt = Instant.now().plusMillis((long) (lead * 1000)).truncatedTo(ChronoUnit.MILLIS);
            Map<String, Object> job = Map.of("type", "sleep", "payload", Map.of("ms", 0), "runAt", runAt.toString());
            long start = System.nanoTime();
            int remaining = jobs;
            while (remaining > 0) {
                int n = Math.min(1000, remaining);
                api.enqueueAll(Collections.nCopies(n, job));
                remaining -= n;
            }
            enqueueSeconds = (System.nanoTime() - start) / 1e9;
            boolean first = Instant.now().isBefore(runAt);
            log("  enqueued in %.2f s (runAt in %+.2f s)", enqueueSeconds, Duration.between(Instant.now(), runAt).toMillis() / 1000.0);
            if (!first) {
                return new ThroughputRun(enqueueSeconds, false, 0, 0, 0);
            }
            Instant cap = runAt.plusMillis((long) (capSeconds * 1000));
            while (true) {
                polls++;
                if (api.jobs("state=QUEUED&limit=1").isEmpty() && api.jobs("state=RUNNING&limit=1").isEmpty()) {
                    break;
                }
                if (Instant.now().isAfter(cap)) {
                    capped = true;
                    log("!!! not done %.0f s after runAt: stopping the run and measuring what finished (--cap)", capSeconds);
                    break;
                }
                QuiesceProcess.pause(Duration.ofMillis(pollMillis));
            }
            completionSeenSeconds = Duration.between(runAt, Instant.now()).toNanos() / 1e9;
            service.signal(Signal.TERM);
            service.awaitExit(Duration.ofSeconds(60));
        }
        Map<String, Long> states;
        List<JobsDb.JobRow> notSucceeded;
        JobsDb.Span span;
        JobsDb.Transactions tx;
        try (JobsDb db = postgres ? postgres().open() : JobsDb.open(dataDir)) {
            states = db.states();
            notSucceeded = db.jobs().stream().filter(j -> !j.state().equals("SUCCEEDED")).limit(5).toList();
            span = db.succeededSpan();
            tx = db.succeededTransactions();
        }
        long succeeded = states.getOrDefault("SUCCEEDED", 0L);
        long total = states.values().stream().mapToLong(Long::longValue).sum();
        long queued = states.getOrDefault("QUEUED", 0L);
        if (total != jobs || (capped ? succeeded + queued != jobs : succeeded != jobs) || succeeded == 0) {
            throw new BenchFailure("CORRECTNESS: expected " + jobs + " SUCCEEDED jobs" + (capped ? " (or QUEUED, after the cap)" : "")
                    + ", found " + states + "; e.g. "
                    + notSucceeded + "; log " + service.log());
        }
        if (!span.minRunAt().equals(span.maxRunAt())) {
            throw new BenchFailure("jobs have different run_at values: " + span);
        }
        double processingSeconds = seconds(span.minStartedAt(), span.maxFinishedAt());
        double fromRunAtSeconds = seconds(span.minRunAt(), span.maxFinishedAt());
        double discovery = seconds(span.minRunAt(), span.minStartedAt());
        ThroughputRun run = new ThroughputRun(enqueueSeconds, true, succeeded / processingSeconds, succeeded / fromRunAtSeconds, succeeded);
        String perTx = String.format(Locale.ROOT, "%,d claim transactions (%.1f jobs each), %,d settle transactions (%.1f jobs each), "
                        + "%.2f ms per transaction", tx.claims(), (double) succeeded / tx.claims(), tx.settles(),
                (double) succeeded / tx.settles(), processingSeconds * 1000 / (tx.claims() + tx.settles()));
        log("  %s", perTx);
        log("  %d SUCCEEDED%s; processing %.3f s = %,.0f jobs/s; from run_at %.3f s = %,.0f jobs/s (first claim %.3f s after run_at); "
                        + "harness saw completion %.2f s after runAt (%d polls)",
                succeeded, capped ? " (capped: " + queued + " still QUEUED)" : "", processingSeconds, run.processingRate(), fromRunAtSeconds, run.fromRunAtRate(), discovery,
                completionSeenSeconds, polls);
        details.add(String.format(Locale.ROOT,
                "%s: enqueue %,d jobs %.2f s; %,d SUCCEEDED%s; first start %.3f s after run_at; processing span %.3f s (%,.0f jobs/s); "
                        + "run_at → last finish %.3f s (%,.0f jobs/s); completion seen over HTTP %.2f s after run_at; %s",
                name, jobs, enqueueSeconds, succeeded, capped ? " (run capped, " + queued + " QUEUED)" : "", discovery,
                processingSeconds, run.processingRate(), fromRunAtSeconds, run.fromRunAtRate(), completionSeenSeconds, perTx));
        deleteQuietly(dataDir);
        return run;
    }

    private BenchDatabase postgres() {
        return new BenchDatabase(pgUrl, pgUser, pgPassword);
    }

    /** From {@code from} to {@code to} in seconds, to the microsecond the database stores. */
    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }

    // -------------------------------------------------------------------------------- start, idle stop

    private void lifecycle() {
        List<Double> ready = new ArrayList<>();
        List<Double> started = new ArrayList<>();
        List<Double> exit = new ArrayList<>();
        for (int i = 1; i <= reps; i++) {
            String name = "lifecycle-" + i;
            Path dataDir = work.resolve(name);
            QuiesceProcess service = QuiesceProcess.launch(jar, dataDir, work.resolve(name + ".log"), serviceJvm, List.of());
            double exitSeconds;
            double readySeconds;
            try (service) {
                readySeconds = service.awaitReady(Duration.ofSeconds(120), Duration.ofMillis(10)).toNanos() / 1e9;
                QuiesceProcess.pause(Duration.ofSeconds(2));
                service.signal(Signal.TERM);
                exitSeconds = service.awaitExit(Duration.ofSeconds(60)).sinceSignal().toNanos() / 1e9;
            }
            double startedIn = logged(service, STARTED).map(Double::parseDouble).orElse(Double.NaN);
            ready.add(readySeconds);
            started.add(startedIn);
            exit.add(exitSeconds);
            log("  %s: launch → ready %.3f s (log: Started in %.3f s); idle SIGTERM → exit %.3f s (dispatcher stop %s ms)",
                    name, readySeconds, startedIn, exitSeconds, logged(service, DISPATCHER_STOPPED).orElse("?"));
            deleteQuietly(dataDir);
        }
        if (scenarios.contains("startup")) {
            rows.add(new String[] {"start → ready (H2, fresh data dir): launch to first 200 of /actuator/health/readiness, " + reps + "×",
                    "median " + Stats.seconds(Stats.median(ready)) + ", max " + Stats.seconds(Stats.max(ready)),
                    "≤ " + Stats.seconds(TARGET_READY), Stats.atMost(Stats.median(ready), Stats.max(ready), TARGET_READY)});
            rows.add(new String[] {"  … \"Started QuiesceApplication in X seconds\" (log)",
                    "median " + Stats.seconds(Stats.median(started)) + ", max " + Stats.seconds(Stats.max(started)), "—", "—"});
        }
        if (scenarios.contains("sigterm-idle")) {
            rows.add(new String[] {"SIGTERM → exit, idle, " + reps + "×",
                    "median " + Stats.seconds(Stats.median(exit)) + ", max " + Stats.seconds(Stats.max(exit)),
                    "≤ " + Stats.seconds(TARGET_IDLE_EXIT), Stats.atMost(Stats.median(exit), Stats.max(exit), TARGET_IDLE_EXIT)});
        }
        details.add("start → ready (s): " + fmt(ready) + "; Started in (s): " + fmt(started) + "; idle SIGTERM → exit (s): " + fmt(exit));
    }

    // ---------------------------------------------------------------------------------------------- drain

    private void drain() {
        List<Double> overhead = new ArrayList<>();
        List<Double> alternative = new ArrayList<>();
        List<Double> total = new ArrayList<>();
        for (int i = 1; i <= reps; i++) {
            String name = "drain-" + i;
            Path dataDir = work.resolve(name);
            QuiesceProcess service = QuiesceProcess.launch(jar, dataDir, work.resolve(name + ".log"), serviceJvm,
                    List.of("--quiesce.worker.threads=4"));
            QuiesceProcess.Signalled sigterm;
            QuiesceProcess.Exit exited;
            try (service) {
                service.awaitReady(Duration.ofSeconds(120), Duration.ofMillis(50));
                QuiesceApi api = service.api();
                api.enqueueAll(Collections.nCopies(4, Map.of("type", "sleep", "payload", Map.of("ms", 1500))));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (api.jobs("state=RUNNING&limit=10").size() < 4) {
                    if (System.nanoTime() > deadline) {
                        throw new BenchFailure("4 sleep jobs not RUNNING after 30 s; log " + service.log());
                    }
                    QuiesceProcess.pause(Duration.ofMillis(10));
                }
                sigterm = service.signal(Signal.TERM);
                exited = service.awaitExit(Duration.ofSeconds(60));
            }
            List<JobsDb.JobRow> times;
            try (JobsDb db = JobsDb.open(dataDir)) {
                times = db.jobs();
            }
            if (times.size() != 4 || times.stream().anyMatch(t -> !t.state().equals("SUCCEEDED"))) {
                throw new BenchFailure("CORRECTNESS: the 4 drained jobs did not all succeed: " + times + "; log " + service.log());
            }
            Instant lastFinished = times.stream().map(JobsDb.JobRow::finishedAt).max(Comparator.naturalOrder()).orElseThrow();
            Instant lastStarted = times.stream().map(JobsDb.JobRow::startedAt).max(Comparator.naturalOrder()).orElseThrow();
            double sigToExit = exited.sinceSignal().toNanos() / 1e9;
            double afterLastFinish = seconds(lastFinished, exited.at());
            double remainingSleep = seconds(sigterm.at(), lastStarted.plusMillis(1_500));
            double alt = sigToExit - remainingSleep;
            overhead.add(afterLastFinish);
            alternative.add(alt);
            total.add(sigToExit);
            log("  %s: SIGTERM → exit %.3f s; last finished_at → exit %.3f s; minus remaining sleep %.3f s → %.3f s (dispatcher stop %s ms)",
                    name, sigToExit, afterLastFinish, remainingSleep, alt, logged(service, DISPATCHER_STOPPED).orElse("?"));
            deleteQuietly(dataDir);
        }
        rows.add(new String[] {"drain overhead: exit − last job's finished_at (4 × sleep 1500 ms, 4 threads), " + reps + "×",
                "median " + Stats.seconds(Stats.median(overhead)) + ", max " + Stats.seconds(Stats.max(overhead)),
                "≤ " + Stats.seconds(TARGET_DRAIN), Stats.atMost(Stats.median(overhead), Stats.max(overhead), TARGET_DRAIN)});
        rows.add(new String[] {"  … cross-check: (SIGTERM → exit) − (last started_at + 1.5 s − SIGTERM)",
                "median " + Stats.seconds(Stats.median(alternative)) + ", max " + Stats.seconds(Stats.max(alternative)), "—", "—"});
        details.add("drain: SIGTERM → exit (s): " + fmt(total) + "; exit − last finished_at (s): " + fmt(overhead)
                + "; cross-check (s): " + fmt(alternative));
    }

    // --------------------------------------------------------------------------------------------- report

    private String section() {
        StringBuilder s = new StringBuilder();
        String date = command("date", "-u").trim();
        s.append("## ").append(date).append(note.isBlank() ? "" : " — " + note).append("\n\n");
        s.append("- Machine: `nproc` = ").append(command("nproc").trim())
                .append("; CPU: ").append(cpuModel())
                .append("; `java -version`: `").append(javaVersion()).append("`\n");
        s.append("- Command: `bench/run").append(rawArgs.isEmpty() ? "" : " " + String.join(" ", rawArgs)).append("`\n");
        s.append("- Service: `java ").append(String.join(" ", serviceJvm)).append(jfr ? " -XX:StartFlightRecording=…" : "")
                .append(" -jar quiesce-0.1.0-SNAPSHOT-exec.jar`, defaults otherwise (poll-interval 1s); PostgreSQL: `").append(pgUrl).append("`\n\n");
        s.append("| measure | figure | target | verdict |\n|---|---|---|---|\n");
        for (String[] row : rows) {
            s.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        if (!details.isEmpty() || !failures.isEmpty()) {
            s.append("\nDetails:\n\n");
            details.forEach(d -> s.append("- ").append(d).append('\n'));
            failures.forEach(f -> s.append("- **FAILURE**: ").append(f.lines().findFirst().orElse(f)).append('\n'));
        }
        return s.toString();
    }

    private void appendReport(String section) throws IOException {
        if (!Files.exists(report)) {
            Files.writeString(report, "# Benchmarks\n\nFigures appended by `bench/run` (see the method above each table).\n");
        }
        Files.writeString(report, "\n" + section, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    private static String cpuModel() {
        return command("lscpu").lines().filter(l -> l.startsWith("Model name:"))
                .map(l -> l.substring("Model name:".length()).trim()).findFirst().orElse("unknown");
    }

    private static String javaVersion() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return command(java, "-version").lines().findFirst().orElse("unknown").trim();
    }

    private static String command(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "(" + String.join(" ", command) + " failed: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }

    // ---------------------------------------------------------------------------------------------- misc

    /** Loads the HTTP client's classes before anything is timed. */
    private static void warmUpHttpClient() {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(1)).build();
        try {
            client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + QuiesceProcess.freePort() + "/")).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException | InterruptedException e) {
            // expected: nothing listens
        }
    }

    /** The first group of {@code line} in the service's log, if it printed such a line. */
    private static Optional<String> logged(QuiesceProcess service, Pattern line) {
        Matcher m = line.matcher(service.log().text());
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    static String fmt(List<Double> values) {
        return values.stream().map(v -> String.format(Locale.ROOT, "%.3f", v)).toList().toString();
    }

    /** Deletes a scenario's data directory; what cannot be deleted stays (it is in the work directory, not lost). */
    static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // keep it
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // keep it
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[bench %s] " + format + "%n",
                Stream.concat(Stream.of(Instant.now().truncatedTo(ChronoUnit.MILLIS).toString().substring(11)), Arrays.stream(args)).toArray());
    }
}

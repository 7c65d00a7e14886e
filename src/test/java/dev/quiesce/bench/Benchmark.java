package dev.quiesce.bench;

import dev.quiesce.testing.JobsDb;
import dev.quiesce.testing.QuiesceApi;
import dev.quiesce.testing.QuiesceProcess;
import dev.quiesce.testing.Scrape;
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
 * The benchmark of issues 2, 3 and 9 (not a test: run it with {@code bench/run}; the child-JVM scenarios are in
 * {@link ChildBenchmarks}, the enqueue scenarios in {@link EnqueueBenchmarks}, the throughput peer, db-scheduler, in
 * {@code dev.quiesce.bench.peer.DbSchedulerPeer} launched by {@link DbSchedulerPeerRun}). Every scenario starts the packaged jar
 * as a real process on a fresh data directory and free ports, drives it over HTTP, signals it, and reads the
 * figures from the database after the process exited. Prints a Markdown table and appends it, dated, with the
 * machine and the command, to BENCHMARKS.md.
 *
 * <pre>
 * scenarios: all (default) | throughput (= throughput-h2 throughput-pg) | throughput-h2 | throughput-pg
 *            | enqueue (= enqueue-h2 enqueue-pg) | enqueue-h2 | enqueue-pg | history-pg
 *            | sigterm-idle | drain | startup
 *            | children (= child-throughput child-spawn child-stop child-parent-kill; issue 3, see ChildBenchmarks)
 * options:   --jobs=20000 --threads=2,8 --repeat=1 --lead=10 (seconds between enqueue start and runAt)
 *            --cap=120 (seconds after runAt before a throughput run is stopped and measured on what finished)
 *            --no-peer (throughput without the db-scheduler peer) --peer-poll-ms=100 (its polling interval)
 *            --batches=30 --batch-warmup=100 --singles=20000 --singles-warmup=20000 --clients=8 (enqueue)
 *            --history=1000000 (history-pg: finished jobs in the table)
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
    static final List<String> ALL = List.of("throughput-h2", "throughput-pg", "enqueue-h2", "enqueue-pg", "history-pg", "sigterm-idle",
            "drain", "startup", "child-throughput", "child-spawn", "child-stop", "child-parent-kill");
    static final String PEER_VERSION = "16.12.0";
    /** The service's H2 URL flags (WRITE_DELAY=0 ...), from its own defaults: the peer's H2 file gets the same. */
    static final String H2_URL_FLAGS = h2UrlFlags();

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
    private boolean peer = true;
    private long peerPollMillis = 100;
    private int batches = 30;
    private int batchWarmup = 100;
    private int singles = 20_000;
    private int singlesWarmup = 20_000;
    private int clients = 8;
    private int history = 1_000_000;
    private final String pgUrl = env("QUIESCE_BENCH_PG_URL", "jdbc:postgresql://127.0.0.1:5432/quiesce_bench");
    private final String pgUser = env("QUIESCE_BENCH_PG_USER", "quiesce");
    private final String pgPassword = env("QUIESCE_BENCH_PG_PASSWORD", "quiesce");

    private String loadAtStart = "";
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
                case "enqueue" -> scenarios.addAll(List.of("enqueue-h2", "enqueue-pg"));
                case "throughput-h2", "throughput-pg", "enqueue-h2", "enqueue-pg", "history-pg", "sigterm-idle", "drain", "startup",
                     "child-throughput", "child-spawn", "child-stop", "child-parent-kill" -> scenarios.add(arg);
                case "--no-peer" -> peer = false;
                case "--peer-poll-ms" -> peerPollMillis = Long.parseLong(value);
                case "--batches" -> batches = Integer.parseInt(value);
                case "--batch-warmup" -> batchWarmup = Integer.parseInt(value);
                case "--singles" -> singles = Integer.parseInt(value);
                case "--singles-warmup" -> singlesWarmup = Integer.parseInt(value);
                case "--clients" -> clients = Integer.parseInt(value);
                case "--history" -> history = Integer.parseInt(value);
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
                usage: bench/run [all | throughput | throughput-h2 | throughput-pg | enqueue | enqueue-h2 | enqueue-pg | history-pg
                                  | sigterm-idle | drain | startup
                                  | children | child-throughput | child-spawn | child-stop | child-parent-kill]...
                                 [--jobs=20000] [--threads=2,8] [--repeat=1] [--lead=10] [--cap=120] [--reps=5] [--poll-ms=50]
                                 [--no-peer] [--peer-poll-ms=100]
                                 [--batches=30] [--batch-warmup=100] [--singles=20000] [--singles-warmup=20000] [--clients=8]
                                 [--history=1000000]
                                 [--jfr] [--no-write] [--note=TEXT] [--service-jvm-opts="-Xmx1g"]
                                 [--child-tasks=200000] [--child-warmup=20000] [--spawns=20]""";
    }

    private int run() throws IOException {
        loadAtStart = loadAverage();
        Files.createDirectories(work);
        warmUpHttpClient();
        log("Quiesce benchmark: %s; jar %s; work dir %s", scenarios, jar, work);
        if (scenarios.contains("throughput-h2")) {
            for (int t : threads) {
                guarded("throughput H2 " + t + " threads", () -> throughput(false, t));
            }
        }
        if (scenarios.contains("throughput-pg") && postgresUsable("throughput-pg")) {
            for (int t : threads) {
                guarded("throughput PostgreSQL " + t + " threads", () -> throughput(true, t));
            }
        }
        EnqueueBenchmarks enqueue = new EnqueueBenchmarks(new EnqueueBenchmarks.Settings(jar, work, serviceJvm, batchWarmup, batches,
                singlesWarmup, singles, clients), rows, details);
        if (scenarios.contains("enqueue-h2")) {
            guarded("enqueue H2", () -> enqueue.run(null));
        }
        if (scenarios.contains("enqueue-pg") && postgresUsable("enqueue-pg")) {
            guarded("enqueue PostgreSQL", () -> enqueue.run(postgres()));
        }
        if (scenarios.contains("history-pg") && postgresUsable("history-pg")) {
            guarded("history PostgreSQL", this::history);
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

    /** Whether the bench PostgreSQL database can be used; if not, the scenario is a failure that says how to create it. */
    private boolean postgresUsable(String scenario) {
        String unreachable = postgres().problem();
        if (unreachable == null) {
            return true;
        }
        String message = scenario + " SKIPPED: cannot use " + pgUrl + " as " + pgUser + ": " + unreachable
                + " (create it: su postgres -c \"createdb -O " + pgUser + " quiesce_bench\", or set QUIESCE_BENCH_PG_URL)";
        failures.add(message);
        log("!!! %s", message);
        return false;
    }

    /** The flags after the database path in the service's H2 URL (quiesce-defaults.yml), e.g. {@code ;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0}. */
    private static String h2UrlFlags() {
        try (var in = Benchmark.class.getResourceAsStream("/quiesce-defaults.yml")) {
            if (in == null) {
                throw new IllegalStateException("quiesce-defaults.yml is not on the class path");
            }
            Matcher url = Pattern.compile("url:\\s*jdbc:h2:file:[^;\\s]*(;\\S*)").matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            if (!url.find()) {
                throw new IllegalStateException("no jdbc:h2:file: URL in quiesce-defaults.yml");
            }
            return url.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    /**
     * One cell (database × threads): Quiesce, then (unless {@code --no-peer}) db-scheduler on the same database right
     * after, {@code --repeat} times alternating; rows for Quiesce's (a) and (b), the peer's (a) and the ratio.
     */
    private void throughput(boolean postgres, int threadCount) {
        String db = postgres ? "PostgreSQL" : "H2";
        List<Double> processing = new ArrayList<>();
        List<Double> withDiscovery = new ArrayList<>();
        List<Double> peerRates = new ArrayList<>();
        String peerFailure = null;
        long minDone = Long.MAX_VALUE;
        for (int i = 1; i <= repeat; i++) {
            ThroughputRun run = throughputWithLead(new Cell(postgres, threadCount, "throughput-" + (postgres ? "pg" : "h2") + "-t" + threadCount,
                    true, 0, false), i);
            processing.add(run.processingRate());
            withDiscovery.add(run.fromRunAtRate());
            minDone = Math.min(minDone, run.succeeded());
            if (peer && peerFailure == null) {
                try {
                    peerRates.add(peerOnce(postgres, threadCount, i));
                } catch (RuntimeException e) {
                    peerFailure = e.getMessage();
                    failures.add("db-scheduler peer, " + db + " " + threadCount + " threads FAILED: " + e.getMessage());
                    log("!!! db-scheduler peer FAILED: %s", e.getMessage());
                }
            }
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
        if (peer) {
            if (peerFailure != null) {
                rows.add(new String[] {"  … db-scheduler " + PEER_VERSION + ", same cell: (a)", "FAILED", "—", "see failures"});
            } else {
                double p = Stats.median(peerRates);
                rows.add(new String[] {"  … db-scheduler " + PEER_VERSION + ", same cell: (a) " + jobs + " / (last completion − first start), in the task",
                        Stats.rate(p) + (repeat > 1 ? " (median of " + repeat + ")" : ""), "—", "—"});
                rows.add(new String[] {"  … ratio Quiesce (a) / db-scheduler (a), " + db + ", " + threadCount + " threads",
                        String.format(Locale.ROOT, "%.2f×", a / p), "—", "—"});
            }
        }
    }

    /** Quiesce's run of a cell, again with a longer lead if enqueueing took longer than the lead. */
    private ThroughputRun throughputWithLead(Cell cell, int iteration) {
        double lead = leadSeconds;
        ThroughputRun run = throughputOnce(cell, iteration, lead);
        if (!run.enqueuedFirst()) {
            lead = Math.ceil(run.enqueueSeconds() * 2 + 2);
            leadSeconds = Math.max(leadSeconds, lead); // later runs start with the lead this machine needs
            log("!!! enqueue took %.1f s, past runAt: the jobs were not all enqueued first; again with a lead of %.0f s",
                    run.enqueueSeconds(), lead);
            if (cell.reset()) {
                run = throughputOnce(cell, iteration, lead);
            } else {
                throw new BenchFailure("enqueueing " + jobs + " jobs took " + run.enqueueSeconds() + " s, longer than the lead of "
                        + lead + " s (on a prepared table: run again with --lead=" + (long) lead + ")");
            }
            if (!run.enqueuedFirst()) {
                throw new BenchFailure("enqueueing " + jobs + " jobs took " + run.enqueueSeconds() + " s, longer than the lead of " + lead + " s");
            }
        }
        return run;
    }

    /**
     * The db-scheduler peer on the cell's database (the bench PostgreSQL database, emptied first; or an H2 file with the
     * service's own URL flags), as its own JVM; its (a) in jobs/s. Fails unless every instance ran exactly once.
     */
    private double peerOnce(boolean postgres, int threadCount, int iteration) {
        String name = "peer-dbscheduler-" + (postgres ? "pg" : "h2") + "-t" + threadCount + "-" + iteration + "-" + System.nanoTime() % 100000;
        Path dataDir = work.resolve(name);
        String url;
        String user;
        String password;
        if (postgres) {
            postgres().reset();
            url = pgUrl;
            user = pgUser;
            password = pgPassword;
        } else {
            url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("dbscheduler") + H2_URL_FLAGS;
            user = "sa";
            password = "";
        }
        log("%s: db-scheduler %s, %d jobs, %d threads, %s", name, PEER_VERSION, jobs, threadCount, url);
        double lead = leadSeconds;
        DbSchedulerPeerRun.Result result = DbSchedulerPeerRun.run(serviceJvm, url, user, password, threadCount, jobs, lead, capSeconds,
                peerPollMillis, work.resolve(name + ".log"));
        if (!result.enqueuedFirst()) {
            lead = Math.ceil(result.number("schedule_s") * 2 + 2);
            log("!!! the peer's scheduleBatch took %.1f s, past its runAt; again with a lead of %.0f s", result.number("schedule_s"), lead);
            if (postgres) {
                postgres().reset();
            }
            result = DbSchedulerPeerRun.run(serviceJvm, url, user, password, threadCount, jobs, lead, capSeconds, peerPollMillis,
                    work.resolve(name + "-2.log"));
        }
        Map<String, String> v = result.values();
        if (!result.ok()) {
            throw new BenchFailure("CORRECTNESS/validity: " + v + "; log " + work.resolve(name + ".log"));
        }
        String line = String.format(Locale.ROOT, "%s: db-scheduler %s, %s, polling interval %s ms, Hikari pool threads + 4; scheduleBatch of %,d "
                        + "%.2f s; executed %s, duplicates %s, missing %s, rows left %s; first start %.3f s after execution_time; "
                        + "first start → last completion in the task %.3f s (%,.0f jobs/s); → last completion after the row's delete "
                        + "(onExecutionComplete) %.3f s (%,.0f jobs/s)", name, PEER_VERSION, v.get("polling"), v.get("poll_ms"), jobs,
                result.number("schedule_s"), v.get("executed"), v.get("duplicates"), v.get("missing"), v.get("rows_left"),
                result.number("first_start_after_run_at_s"), result.number("span_s"), result.number("rate"),
                result.number("span_to_complete_s"), result.number("rate_to_complete"));
        log("  %s", line);
        details.add(line);
        deleteQuietly(dataDir);
        return result.number("rate");
    }

    /** A throughput cell: its database, thread count, run name, whether the database is emptied first, and scope. */
    record Cell(boolean postgres, int threads, String label, boolean reset, long afterId, boolean scrapeClaims) {
    }

    record ThroughputRun(double enqueueSeconds, boolean enqueuedFirst, double processingRate, double fromRunAtRate, long succeeded,
                         ClaimHistogram claims, double meanTransactionMillis) {
    }

    /**
     * One run of Quiesce on a cell. With {@code reset}, the PostgreSQL database is emptied first (else the schema and any
     * history stay); only the jobs with an id above {@code afterId} are measured. With {@code scrapeClaims}, the claim
     * timer is scraped just before run_at and again once the harness saw completion (before SIGTERM).
     */
    private ThroughputRun throughputOnce(Cell cell, int iteration, double lead) {
        boolean postgres = cell.postgres();
        int threadCount = cell.threads();
        String name = cell.label() + "-" + iteration + "-" + System.nanoTime() % 100000;
        Path dataDir = work.resolve(name);
        List<String> args = new ArrayList<>(List.of("--quiesce.worker.threads=" + threadCount));
        if (postgres) {
            if (cell.reset()) {
                postgres().reset();
            }
            args.addAll(pgArgs());
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
        ClaimHistogram claimsBefore = null;
        ClaimHistogram claimsAfter = null;
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
                return new ThroughputRun(enqueueSeconds, false, 0, 0, 0, null, Double.NaN);
            }
            if (cell.scrapeClaims()) {
                Duration untilJustBefore = Duration.between(Instant.now(), runAt.minusMillis(300));
                if (!untilJustBefore.isNegative()) {
                    QuiesceProcess.pause(untilJustBefore);
                }
                claimsBefore = ClaimHistogram.parse(Scrape.of(service).text());
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
            if (cell.scrapeClaims()) {
                claimsAfter = ClaimHistogram.parse(Scrape.of(service).text());
            }
            service.signal(Signal.TERM);
            service.awaitExit(Duration.ofSeconds(60));
        }
        Map<String, Long> states;
        List<String> notSucceeded;
        RunJobs.Span span;
        RunJobs.Transactions tx;
        try (RunJobs db = postgres ? RunJobs.postgres(postgres(), cell.afterId()) : RunJobs.h2(dataDir)) {
            states = db.states();
            notSucceeded = db.notSucceeded();
            span = db.span();
            tx = db.transactions();
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
        double meanTx = processingSeconds * 1000 / (tx.claims() + tx.settles());
        ClaimHistogram claims = claimsBefore != null && claimsAfter != null ? claimsAfter.minus(claimsBefore) : null;
        ThroughputRun run = new ThroughputRun(enqueueSeconds, true, succeeded / processingSeconds, succeeded / fromRunAtSeconds, succeeded,
                claims, meanTx);
        String perTx = String.format(Locale.ROOT, "%,d claim transactions (%.1f jobs each), %,d settle transactions (%.1f jobs each), "
                        + "%.2f ms per transaction", tx.claims(), (double) succeeded / tx.claims(), tx.settles(),
                (double) succeeded / tx.settles(), meanTx);
        String claimed = claims == null ? "" : "; claim timer (" + ClaimHistogram.NAME + ", from 0.3 s before run_at to completion): "
                + claims.describe();
        log("  %s%s", perTx, claimed);
        log("  %d SUCCEEDED%s; processing %.3f s = %,.0f jobs/s; from run_at %.3f s = %,.0f jobs/s (first claim %.3f s after run_at); "
                        + "harness saw completion %.2f s after runAt (%d polls)",
                succeeded, capped ? " (capped: " + queued + " still QUEUED)" : "", processingSeconds, run.processingRate(), fromRunAtSeconds, run.fromRunAtRate(), discovery,
                completionSeenSeconds, polls);
        details.add(String.format(Locale.ROOT,
                "%s: enqueue %,d jobs %.2f s; %,d SUCCEEDED%s; first start %.3f s after run_at; processing span %.3f s (%,.0f jobs/s); "
                        + "run_at → last finish %.3f s (%,.0f jobs/s); completion seen over HTTP %.2f s after run_at; %s%s",
                name, jobs, enqueueSeconds, succeeded, capped ? " (run capped, " + queued + " QUEUED)" : "", discovery,
                processingSeconds, run.processingRate(), fromRunAtSeconds, run.fromRunAtRate(), completionSeenSeconds, perTx, claimed));
        deleteQuietly(dataDir);
        return run;
    }

    private List<String> pgArgs() {
        return List.of("--spring.datasource.url=" + pgUrl, "--spring.datasource.username=" + pgUser, "--spring.datasource.password=" + pgPassword);
    }

    // ---------------------------------------------------------------------------------------------- history

    /**
     * {@code history-pg}: the 8-thread throughput cell on PostgreSQL, first on an empty jobs table, then on one holding
     * {@code --history} finished jobs. Each time: the database emptied, the service started once so that Flyway migrates
     * and stopped, then (history only) the history inserted with SQL and {@code VACUUM ANALYZE jobs}, then the run; its
     * claim timer is scraped around the run. The empty table is not analyzed: statistics that say "0 rows" would make
     * the planner scan the 20,000 jobs of the run on every claim until autoanalyze catches up (a first try did: 514/s,
     * 9.7 ms per claim), which measures the statistics, not the table.
     */
    private void history() {
        int threadCount = 8;
        ThroughputRun empty = historyCell(threadCount, 0);
        ThroughputRun full = historyCell(threadCount, history);
        String size = String.format(Locale.ROOT, "%,d", history);
        double ratio = full.processingRate() / empty.processingRate();
        rows.add(new String[] {"history PostgreSQL, " + threadCount + " threads: (a) on an empty jobs table", Stats.rate(empty.processingRate()), "—", "—"});
        rows.add(new String[] {"history PostgreSQL, " + threadCount + " threads: (a) with " + size + " SUCCEEDED jobs in the table",
                Stats.rate(full.processingRate()) + String.format(Locale.ROOT, " (%.0f %% of empty)", ratio * 100), "≥ 90 % of empty",
                ratio >= 0.9 ? String.format(Locale.ROOT, "met (%.0f %%)", ratio * 100) : String.format(Locale.ROOT, "**missed** (%.0f %%)", ratio * 100)});
        if (empty.claims() != null && full.claims() != null) {
            double p99Empty = empty.claims().quantileMillis(0.99);
            double p99Full = full.claims().quantileMillis(0.99);
            double meanRatio = full.claims().meanMillis() / empty.claims().meanMillis() * 100;
            rows.add(new String[] {"history: claim transaction (`" + ClaimHistogram.NAME + "`), empty table: mean / p99 (interpolated in its bucket)",
                    String.format(Locale.ROOT, "mean %.2f ms, p99 ≈ %.1f ms (bucket ≤ %s)", empty.claims().meanMillis(), p99Empty,
                            ClaimHistogram.millis(empty.claims().quantileBoundMillis(0.99))), "—", "—"});
            rows.add(new String[] {"history: claim transaction, with " + size + " SUCCEEDED jobs: mean / p99 (interpolated in its bucket)",
                    String.format(Locale.ROOT, "mean %.2f ms (%.0f %% of empty), p99 ≈ %.1f ms (bucket ≤ %s)", full.claims().meanMillis(), meanRatio,
                            p99Full, ClaimHistogram.millis(full.claims().quantileBoundMillis(0.99))),
                    "p99 ≤ 110 % of empty", String.format(Locale.ROOT, p99Full <= p99Empty * 1.1 ? "met (%.0f %%; an estimate within the bucket)"
                            : "**missed** (%.0f %%; an estimate within the bucket)", p99Full / p99Empty * 100)});
        } else {
            rows.add(new String[] {"history: mean time per claim/settle transaction (no claim timer in this build: distinct timestamps), empty / "
                    + size, String.format(Locale.ROOT, "%.2f ms / %.2f ms", empty.meanTransactionMillis(), full.meanTransactionMillis()), "—", "—"});
        }
    }

    private ThroughputRun historyCell(int threadCount, int historyJobs) {
        BenchDatabase db = postgres();
        db.reset();
        String name = "history-migrate-" + historyJobs;
        QuiesceProcess migrate = QuiesceProcess.launch(jar, work.resolve(name), work.resolve(name + ".log"), serviceJvm, pgArgs());
        try (migrate) {
            migrate.awaitReady(Duration.ofSeconds(120), Duration.ofMillis(50));
            migrate.signal(Signal.TERM);
            migrate.awaitExit(Duration.ofSeconds(60));
        }
        long afterId = 0;
        if (historyJobs > 0) {
            long start = System.nanoTime();
            afterId = db.insertHistory(historyJobs);
            String line = String.format(Locale.ROOT, "history: %,d SUCCEEDED jobs inserted with INSERT … SELECT FROM generate_series, then VACUUM "
                    + "ANALYZE jobs, in %.1f s (highest id %d)", historyJobs, (System.nanoTime() - start) / 1e9, afterId);
            log("  %s", line);
            details.add(line);
        }
        return throughputWithLead(new Cell(true, threadCount, "history-pg-" + (historyJobs == 0 ? "empty" : historyJobs) + "-t" + threadCount,
                false, afterId, true), 1);
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
                .append(" -jar quiesce-0.1.0-SNAPSHOT-exec.jar`, defaults otherwise (poll-interval 1s); PostgreSQL: `").append(pgUrl).append("`\n");
        if (peer && (scenarios.contains("throughput-h2") || scenarios.contains("throughput-pg"))) {
            s.append("- Peer: db-scheduler ").append(PEER_VERSION).append(" (`java ").append(String.join(" ", serviceJvm))
                    .append(" -cp <test class path> dev.quiesce.bench.peer.DbSchedulerPeer`), right after Quiesce in each cell; polling interval ")
                    .append(peerPollMillis).append(" ms, PostgreSQL `pollUsingLockAndFetch(1.0, 4.0)`, H2 `pollUsingFetchAndLockOnExecute(0.5, 3.0)`")
                    .append(" (H2 file URL flags `").append(H2_URL_FLAGS).append("`)\n");
        }
        s.append("- Load average (1/5/15 min) at the start: ").append(loadAtStart).append("; at the end: ").append(loadAverage()).append("\n\n");
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

    /** The first three fields of /proc/loadavg: other work on the machine shows here. */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " / " + fields[1] + " / " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
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

package dev.quiesce.bench;

import dev.quiesce.child.ChildPool;
import dev.quiesce.child.ChildProperties;
import dev.quiesce.child.ChildTaskOutcome;
import dev.quiesce.child.ChildTaskRequest;
import dev.quiesce.child.worker.Frame;
import dev.quiesce.child.worker.FrameCodec;
import dev.quiesce.shutdown.ShutdownBudget;
import dev.quiesce.shutdown.ShutdownClock;
import dev.quiesce.shutdown.ShutdownProperties;
import dev.quiesce.testing.ProcScan;
import dev.quiesce.testing.QuiesceApi;
import dev.quiesce.testing.QuiesceProcess;
import dev.quiesce.testing.Scrape;
import dev.quiesce.testing.Signal;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The child-JVM figures of issue 3 (not tests; run through {@link Benchmark} with {@code bench/run children}):
 * <ul>
 *   <li>{@code child-throughput}: trivial tasks ({@code noop}) through a {@link ChildPool} of 2 children built
 *       in this JVM, pipelined (each result submits the next task, so both children are always busy), with
 *       Python's {@code multiprocessing.Pool(2).imap_unordered(f, range(n), chunksize=1)} as the anchor;</li>
 *   <li>{@code child-spawn}: spawn → hello and idle RSS of the children of the real service (its
 *       {@code quiesce_child_ready_seconds} timer), with the default JVM options and with a JDK 25 AOT cache;
 *       plus children spawned directly by this harness from a plain class path, as an experiment;</li>
 *   <li>{@code child-stop}: SIGTERM → exit of the service with 4 idle children and with 8 children stuck in
 *       {@code hang};</li>
 *   <li>{@code child-parent-kill}: SIGKILL of the service → the last of its descendants gone.</li>
 * </ul>
 */
final class ChildBenchmarks {

    static final List<String> SCENARIOS = List.of("child-throughput", "child-spawn", "child-stop", "child-parent-kill");

    static final double TARGET_TASKS_PER_SECOND = 50_000;
    static final double TARGET_PYTHON_RATIO = 3;
    static final double TARGET_P50_MICROS = 50;
    static final double TARGET_SPAWN = 0.120;
    static final double TARGET_RSS_MIB = 48;
    static final double TARGET_STOP_IDLE = 1.0;
    static final double TARGET_STOP_HANG = 2.5;
    static final double TARGET_PARENT_KILL = 1.0;

    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    private static final String PROPERTIES_LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher";

    /** What {@link Benchmark} lends a scenario: where to write, how to log, the options. */
    record Settings(Path jar, Path work, List<String> serviceJvm, int reps, int tasks, int warmup, int spawns, boolean jfr) {
    }

    private final Settings s;
    private final List<String[]> rows;
    private final List<String> details;

    ChildBenchmarks(Settings settings, List<String[]> rows, List<String> details) {
        this.s = settings;
        this.rows = rows;
        this.details = details;
    }

    // ------------------------------------------------------------------------------------- child-throughput

    record Phase(int tasks, double seconds, long[] latencies, int failed, String firstFailure) {
        double rate() {
            return tasks / seconds;
        }

        double percentileMicros(double p) {
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            int index = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1));
            return sorted[index] / 1e3;
        }
    }

    void throughput() {
        Path dataDir = s.work().resolve("child-throughput");
        createDirectories(dataDir);
        // Recycling off: what is measured is the round trip through a child, not the start of its replacements.
        ChildProperties properties = ChildProperties.defaults().withSize(2).withMaxTasksPerChild(Integer.MAX_VALUE);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ChildPool pool = new ChildPool(properties, dataDir, clock(), Duration.ofSeconds(5), registry, new dev.quiesce.leak.Leaks(registry));
        Phase warm;
        Phase measured;
        String cpu;
        Path jfrFile = s.work().resolve("child-throughput.jfr");
        long startedNanos = System.nanoTime();
        pool.start();
        try {
            await("2 idle children", Duration.ofSeconds(120), () -> pool.idle() == 2);
            Benchmark.log("child-throughput: pool of 2 ready after %.2f s; %,d warm-up tasks, then %,d measured",
                    (System.nanoTime() - startedNanos) / 1e9, s.warmup(), s.tasks());
            warm = pipelined(pool, s.warmup(), 1);
            Benchmark.log("  warm-up: %,.0f tasks/s, p50 %.1f µs", warm.rate(), warm.percentileMicros(50));
            Recording recording = null;
            if (s.jfr()) {
                try {
                    recording = new Recording(Configuration.getConfiguration("profile"));
                    recording.start();
                } catch (IOException | ParseException e) {
                    Benchmark.log("!!! no JFR recording: %s", e);
                }
            }
            long self = ProcessHandle.current().pid();
            List<Long> childPids = ProcScan.all().stream().filter(p -> p.ppid() == self && p.isChildJvm()).map(ProcScan.Proc::pid).toList();
            Map<String, Long> parentBefore = threadTicks(List.of(self));
            Map<String, Long> childrenBefore = threadTicks(childPids);
            measured = pipelined(pool, s.tasks(), 1 + s.warmup());
            cpu = cpuPerTask("benchmark JVM (pool side)", parentBefore, threadTicks(List.of(self)), s.tasks())
                    + "; " + cpuPerTask(childPids.size() + " child JVMs", childrenBefore, threadTicks(childPids), s.tasks());
            Benchmark.log("  CPU per task: %s", cpu);
            if (recording != null) {
                recording.stop();
                try {
                    recording.dump(jfrFile);
                } catch (IOException e) {
                    Benchmark.log("!!! JFR dump failed: %s", e);
                }
                recording.close();
            }
        } finally {
            CountDownLatch stopped = new CountDownLatch(1);
            pool.stop(stopped::countDown);
            try {
                if (!stopped.await(60, TimeUnit.SECONDS)) {
                    Benchmark.log("!!! the child pool did not stop within 60 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (measured.failed() > 0) {
            throw new BenchFailure("CORRECTNESS: " + measured.failed() + " noop task(s) did not succeed, e.g. " + measured.firstFailure());
        }
        double rate = measured.rate();
        double p50 = measured.percentileMicros(50);
        double p99 = measured.percentileMicros(99);
        Benchmark.log("  measured: %,d tasks in %.3f s = %,.0f tasks/s; round trip p50 %.1f µs, p90 %.1f µs, p99 %.1f µs, max %.1f µs",
                measured.tasks(), measured.seconds(), rate, p50, measured.percentileMicros(90), p99, measured.percentileMicros(100));

        Optional<Double> python = pythonAnchor(s.tasks());
        rows.add(new String[] {"child throughput: " + String.format(Locale.ROOT, "%,d", s.tasks()) + " `noop` tasks through 2 children, pipelined (ChildPool API)",
                String.format(Locale.ROOT, "%,.0f tasks/s", rate), String.format(Locale.ROOT, "≥ %,.0f tasks/s", TARGET_TASKS_PER_SECOND),
                Stats.atLeast(rate, TARGET_TASKS_PER_SECOND, "tasks/s")});
        if (python.isPresent()) {
            double ratio = rate / python.get();
            rows.add(new String[] {"  … Python `multiprocessing.Pool(2).imap_unordered(f, range(n), chunksize=1)`, same n (anchor)",
                    String.format(Locale.ROOT, "%,.0f tasks/s", python.get()), "—", "—"});
            rows.add(new String[] {"  … ratio Quiesce / Python", String.format(Locale.ROOT, "%.2f×", ratio),
                    String.format(Locale.ROOT, "≥ %.0f×", TARGET_PYTHON_RATIO), ratio >= TARGET_PYTHON_RATIO
                    ? String.format(Locale.ROOT, "met (+%.0f %%)", (ratio / TARGET_PYTHON_RATIO - 1) * 100)
                    : String.format(Locale.ROOT, "**missed** by %.2f× (%.0f %%)", TARGET_PYTHON_RATIO - ratio, (ratio / TARGET_PYTHON_RATIO - 1) * 100)});
        } else {
            rows.add(new String[] {"  … Python anchor", "not run (no python3)", "≥ 3× Python", "—"});
        }
        rows.add(new String[] {"child round trip latency (run → onEnd), p50", String.format(Locale.ROOT, "%.1f µs", p50),
                String.format(Locale.ROOT, "≤ %.0f µs", TARGET_P50_MICROS), atMostMicros(p50, TARGET_P50_MICROS)});
        rows.add(new String[] {"  … p99", String.format(Locale.ROOT, "%.1f µs", p99), "—", "—"});
        details.add(String.format(Locale.ROOT, "child-throughput: warm-up %,d tasks %,.0f tasks/s; measured %,d tasks in %.3f s; "
                        + "round trip p50 %.1f / p90 %.1f / p99 %.1f / p99.9 %.1f / max %.1f µs; per task %.1f µs of wall clock on %d cores "
                        + "(max-tasks-per-child off, default jvm-options)%s",
                warm.tasks(), warm.rate(), measured.tasks(), measured.seconds(), p50, measured.percentileMicros(90), p99,
                measured.percentileMicros(99.9), measured.percentileMicros(100), measured.seconds() * 1e6 / measured.tasks(),
                Runtime.getRuntime().availableProcessors(),
                s.jfr() ? "; JFR of the benchmark JVM during the measured phase: " + jfrFile : ""));
        details.add("child-throughput CPU time per task (user + system from /proc/<pid>/task/*/stat, 10 ms ticks, by thread; "
                + "thread numbers folded to #): " + cpu);
    }

    /** CPU clock ticks by thread name (digits folded to #) summed over the processes {@code pids}. */
    private static Map<String, Long> threadTicks(List<Long> pids) {
        Map<String, Long> sum = new java.util.TreeMap<>();
        for (long pid : pids) {
            ProcScan.cpuTicksByThread(pid).forEach((name, ticks) -> sum.merge(name.replaceAll("[0-9]+", "#"), ticks, Long::sum));
        }
        return sum;
    }

    /** "label: total X µs/task (thread a µs, thread b µs, ...)" for the threads that used ≥ 0.5 µs per task. */
    private static String cpuPerTask(String label, Map<String, Long> before, Map<String, Long> after, int tasks) {
        double microsPerTick = 1e6 / 100; // USER_HZ
        long total = 0;
        List<Map.Entry<String, Long>> used = new ArrayList<>();
        for (Map.Entry<String, Long> e : after.entrySet()) {
            long delta = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            total += delta;
            if (delta * microsPerTick / tasks >= 0.5) {
                used.add(Map.entry(e.getKey(), delta));
            }
        }
        used.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        return String.format(Locale.ROOT, "%s %.1f µs/task (%s)", label, total * microsPerTick / tasks, String.join(", ",
                used.stream().map(e -> String.format(Locale.ROOT, "`%s` %.1f", e.getKey(), e.getValue() * microsPerTick / tasks)).toList()));
    }

    /** Runs {@code n} noop tasks keeping both children busy: every outcome submits the next task from its callback. */
    private static Phase pipelined(ChildPool pool, int n, long firstJobId) {
        long[] latencies = new long[n];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        AtomicLong lastEnd = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        Runnable[] submit = new Runnable[1];
        submit[0] = () -> {
            int i = next.getAndIncrement();
            if (i >= n) {
                return;
            }
            long sent = System.nanoTime();
            try {
                pool.run(new ChildTaskRequest(firstJobId + i, 1, "noop", "{}"), outcome -> {
                    long ended = System.nanoTime();
                    latencies[i] = ended - sent;
                    if (outcome.kind() != ChildTaskOutcome.Kind.SUCCEEDED) {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, outcome.toString());
                    }
                    if (completed.incrementAndGet() == n) {
                        lastEnd.set(ended);
                        done.countDown();
                    } else {
                        submit[0].run();
                    }
                });
            } catch (RuntimeException e) {
                firstFailure.compareAndSet(null, "run() threw " + e);
                done.countDown();
            }
        };
        long start = System.nanoTime();
        submit[0].run();
        submit[0].run();
        try {
            if (!done.await(Math.max(120, n / 500), TimeUnit.SECONDS)) {
                throw new BenchFailure("only " + completed.get() + " of " + n + " noop tasks done in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailure("interrupted");
        }
        if (completed.get() < n) {
            throw new BenchFailure("the pipeline stopped after " + completed.get() + " of " + n + " tasks: " + firstFailure.get());
        }
        return new Phase(n, (lastEnd.get() - start) / 1e9, latencies, failed.get(), firstFailure.get());
    }

    /** Python's multiprocessing on the same n, timed inside Python (pool start-up and a warm-up excluded). */
    private Optional<Double> pythonAnchor(int n) {
        Optional<String> python = onPath("python3");
        if (python.isEmpty()) {
            Benchmark.log("  no python3 on PATH: no anchor");
            return Optional.empty();
        }
        Path script = s.work().resolve("anchor.py");
        write(script, """
                import multiprocessing, sys, time

                def f(x):
                    return x

                if __name__ == "__main__":
                    n = int(sys.argv[1])
                    with multiprocessing.Pool(2) as pool:
                        for _ in pool.imap_unordered(f, range(min(n, 20000)), chunksize=1):
                            pass
                        start = time.perf_counter()
                        for _ in pool.imap_unordered(f, range(n), chunksize=1):
                            pass
                        elapsed = time.perf_counter() - start
                    print("anchor", n, elapsed, multiprocessing.get_start_method(), sys.version.split()[0])
                """);
        String out = run(Duration.ofMinutes(10), python.get(), script.toString(), Integer.toString(n));
        Matcher m = Pattern.compile("anchor (\\d+) ([0-9.eE+-]+) (\\S+) (\\S+)").matcher(out);
        if (!m.find()) {
            throw new BenchFailure("the Python anchor printed no result: " + out);
        }
        double seconds = Double.parseDouble(m.group(2));
        double rate = n / seconds;
        Benchmark.log("  Python %s (%s): %,d tasks in %.3f s = %,.0f tasks/s", m.group(4), m.group(3), n, seconds, rate);
        details.add(String.format(Locale.ROOT, "Python anchor: Python %s, start method %s, `multiprocessing.Pool(2).imap_unordered(f, range(%d), "
                + "chunksize=1)` with `f(x) = x`, after a warm-up pass: %.3f s (%,.0f tasks/s)", m.group(4), m.group(3), n, seconds, rate));
        return Optional.of(rate);
    }

    // ----------------------------------------------------------------------------------------- child-spawn

    record Spawns(List<Double> readySeconds, List<Double> rssMiB, String note) {
    }

    void spawn() {
        List<String> defaults = ChildProperties.defaults().jvmOptions();
        // An AOT cache excludes -Xshare (the JVM refuses both); unified logging goes to stdout by default, which in
        // a child belongs to the protocol: a warning about the cache (e.g. a stale one) must go to stderr.
        List<String> aotBase = new ArrayList<>(defaults.stream().filter(o -> !o.startsWith("-Xshare")).toList());
        aotBase.addAll(List.of("-Xlog:disable", "-Xlog:all=warning:stderr"));

        Spawns service = spawnViaService("default", null);
        report("child spawn → ready (service, `java -jar`, default jvm-options)", service);

        Path fatAot = s.work().resolve("child-fatjar.aot");
        double trainFat = trainAot(s.jar(), true, fatAot, aotBase);
        List<String> fatAotOptions = new ArrayList<>(aotBase);
        fatAotOptions.add("-XX:AOTCache=" + fatAot);
        Spawns serviceAot = spawnViaService("aot", fatAotOptions);
        report("child spawn → ready (service, default jvm-options − `-Xshare:auto` + `-XX:AOTCache`)", serviceAot);

        // The experiment: the same child from a plain jar (the service's own classes, no Boot launcher).
        Path plainJar = s.work().resolve("child-plain.jar");
        jarClasses(plainJar);
        Path plainAot = s.work().resolve("child-plain.aot");
        double trainPlain = trainAot(plainJar, false, plainAot, aotBase);
        int direct = Math.max(5, s.spawns() / 2);
        Spawns directFat = spawnDirect("fat jar", s.jar(), true, defaults, direct);
        Spawns directPlain = spawnDirect("plain jar", plainJar, false, defaults, direct);
        List<String> plainAotOptions = new ArrayList<>(aotBase);
        plainAotOptions.add("-XX:AOTCache=" + plainAot);
        Spawns directPlainAot = spawnDirect("plain jar + AOT", plainJar, false, plainAotOptions, direct);
        report("  … experiment, spawned by the harness: fat jar through PropertiesLauncher (the service's command)", directFat);
        report("  … experiment: plain jar of the classes, `-cp child.jar ChildMain`, default jvm-options", directPlain);
        report("  … experiment: plain jar + its AOT cache", directPlainAot);
        details.add(String.format(Locale.ROOT, "AOT caches: training runs (hello, 500 `noop`, 5 `sleep`, shutdown) with `-XX:AOTCacheOutput`: "
                        + "fat jar %.1f s → %s (%,d bytes), plain jar %.1f s → %s (%,d bytes); AOT options: %s",
                trainFat, fatAot.getFileName(), size(fatAot), trainPlain, plainAot.getFileName(), size(plainAot), String.join(" ", plainAotOptions)));
    }

    private void report(String what, Spawns spawns) {
        double p50 = Stats.median(spawns.readySeconds());
        double p90 = percentile(spawns.readySeconds(), 90);
        double rss = spawns.rssMiB().isEmpty() ? Double.NaN : Stats.median(spawns.rssMiB());
        rows.add(new String[] {what + ", " + spawns.readySeconds().size() + " spawns: p50 / p90",
                String.format(Locale.ROOT, "p50 %.0f ms, p90 %.0f ms", p50 * 1000, p90 * 1000),
                String.format(Locale.ROOT, "≤ %.0f ms", TARGET_SPAWN * 1000), atMostMillis(p50, p90, TARGET_SPAWN)});
        rows.add(new String[] {"  … idle child RSS (VmRSS, median)", String.format(Locale.ROOT, "%.1f MiB", rss),
                String.format(Locale.ROOT, "≤ %.0f MiB", TARGET_RSS_MIB),
                Double.isNaN(rss) ? "—" : rss <= TARGET_RSS_MIB ? String.format(Locale.ROOT, "met (%.0f %% of target)", rss / TARGET_RSS_MIB * 100)
                        : String.format(Locale.ROOT, "**missed** by %.1f MiB (%.0f %% over)", rss - TARGET_RSS_MIB, (rss - TARGET_RSS_MIB) / TARGET_RSS_MIB * 100)});
        details.add(String.format(Locale.ROOT, "%s: ready (ms) %s; idle RSS (MiB) %s%s", what.replace("  … ", ""),
                spawns.readySeconds().stream().map(v -> String.format(Locale.ROOT, "%.0f", v * 1000)).toList(),
                spawns.rssMiB().stream().map(v -> String.format(Locale.ROOT, "%.1f", v)).toList(),
                spawns.note().isEmpty() ? "" : "; " + spawns.note()));
    }

    /**
     * Spawns measured in the real service: 1 child, recycled after every task, so each {@code noop} job makes the pool
     * start a replacement while the service is otherwise idle; each spawn's ready time is the growth of the
     * {@code quiesce_child_ready_seconds} sum between two counts. The first child (started with the service) is
     * left out: it competes with the service's own start-up.
     */
    private Spawns spawnViaService(String label, List<String> jvmOptions) {
        String name = "child-spawn-" + label;
        Path dataDir = s.work().resolve(name);
        List<String> args = new ArrayList<>(List.of("--quiesce.children.size=1", "--quiesce.children.max-tasks-per-child=1"));
        if (jvmOptions != null) {
            args.add("--quiesce.children.jvm-options=" + String.join(",", jvmOptions));
        }
        Benchmark.log("%s: %d spawns in the service (%s)", name, s.spawns(), jvmOptions == null ? "default jvm-options" : String.join(" ", jvmOptions));
        List<Double> ready = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        double first;
        QuiesceProcess service = QuiesceProcess.launch(s.jar(), dataDir, s.work().resolve(name + ".log"), s.serviceJvm(), args);
        try (service) {
            service.awaitReady(Duration.ofSeconds(120), Duration.ofMillis(50));
            QuiesceApi api = service.api();
            Set<Long> measured = new HashSet<>();
            double[] previous = awaitReadyCount(service, 1);
            first = previous[1];
            for (int k = 0; k <= s.spawns(); k++) {
                QuiesceProcess.pause(Duration.ofMillis(500)); // let it settle (its start-up work after the hello)
                List<ProcScan.Proc> fresh = ProcScan.childJvmsOf(service.pid()).stream().filter(p -> !measured.contains(p.pid())).toList();
                if (fresh.size() != 1) {
                    throw new BenchFailure("expected one new idle child JVM, found " + fresh + "; log " + service.log());
                }
                measured.add(fresh.getFirst().pid());
                if (k > 0) {
                    rss.add(ProcScan.rssBytes(fresh.getFirst().pid()) / (1024.0 * 1024));
                }
                if (k == s.spawns()) {
                    break;
                }
                api.enqueue(Map.of("type", "noop", "payload", Map.of()));
                double[] now = awaitReadyCount(service, (long) previous[0] + 1);
                if (now[0] != previous[0] + 1) {
                    throw new BenchFailure("expected one more child ready, the count went from " + previous[0] + " to " + now[0]);
                }
                ready.add(now[1] - previous[1]);
                previous = now;
            }
            service.signal(Signal.TERM);
            service.awaitExit(Duration.ofSeconds(60));
        } finally {
            ProcScan.killAllOf(service.pid());
        }
        Benchmark.log("  ready p50 %.0f ms, p90 %.0f ms; idle RSS median %.1f MiB (first child, with the service's start-up: %.0f ms)",
                Stats.median(ready) * 1000, percentile(ready, 90) * 1000, Stats.median(rss), first * 1000);
        Benchmark.deleteQuietly(dataDir);
        return new Spawns(ready, rss, String.format(Locale.ROOT, "first child (during the service's start-up, not counted) %.0f ms", first * 1000));
    }

    /** Waits until {@code quiesce_child_ready_seconds_count} reaches {@code count}; returns {count, sum}. */
    private double[] awaitReadyCount(QuiesceProcess service, long count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            Scrape scrape = Scrape.of(service);
            double c = scrape.value("quiesce_child_ready_seconds_count");
            double sum = scrape.value("quiesce_child_ready_seconds_sum");
            if (c >= count) {
                return new double[] {c, sum};
            }
            if (System.nanoTime() - deadline > 0) {
                throw new BenchFailure("child ready count not " + count + " within 60 s (" + c + "); log " + service.log());
            }
            QuiesceProcess.pause(Duration.ofMillis(10));
        }
    }

    /**
     * Spawns a child as the pool's launcher would ({@code setsid java --enable-native-access=ALL-UNNAMED
     * -XX:+DisplayVMOutputToStderr <options> -cp ...}, minimal environment), one at a time: launch → hello frame
     * read, then its RSS after 500 ms idle, then shutdown frame and stdin closed.
     */
    private Spawns spawnDirect(String label, Path classPath, boolean fatJar, List<String> options, int count) {
        Benchmark.log("child-spawn direct (%s): %d spawns", label, count);
        List<Double> ready = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        Path log = s.work().resolve("child-spawn-direct.log");
        for (int i = 0; i < count; i++) {
            ProcessBuilder builder = new ProcessBuilder(childCommand(classPath, fatJar, options))
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
            childEnvironment(builder);
            long start = System.nanoTime();
            Process child;
            try {
                child = builder.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try {
                DataInputStream in = new DataInputStream(new BufferedInputStream(child.getInputStream()));
                Frame hello = FrameCodec.read(in, FrameCodec.DEFAULT_MAX_FRAME);
                ready.add((System.nanoTime() - start) / 1e9);
                if (!(hello instanceof Frame.Hello)) {
                    throw new BenchFailure("expected a hello from the child, got " + hello);
                }
                QuiesceProcess.pause(Duration.ofMillis(500));
                rss.add(ProcScan.rssBytes(child.pid()) / (1024.0 * 1024));
                OutputStream out = child.getOutputStream();
                FrameCodec.write(out, new Frame.Shutdown());
                out.close();
                if (!child.waitFor(10, TimeUnit.SECONDS)) {
                    throw new BenchFailure("a child did not exit within 10 s of its shutdown frame");
                }
            } catch (IOException e) {
                throw new BenchFailure("child (" + label + ") failed: " + e + "; see " + log, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BenchFailure("interrupted");
            } finally {
                child.destroyForcibly();
            }
        }
        Benchmark.log("  ready p50 %.0f ms, p90 %.0f ms; idle RSS median %.1f MiB", Stats.median(ready) * 1000,
                percentile(ready, 90) * 1000, Stats.median(rss));
        return new Spawns(ready, rss, "");
    }

    /**
     * Builds an AOT cache for the child entry point on {@code classPath} in one training run
     * ({@code -XX:AOTCacheOutput}: record, then create at exit): hello, 500 {@code noop}, 5 {@code sleep}, shutdown.
     * Returns the seconds it took.
     */
    private double trainAot(Path classPath, boolean fatJar, Path cache, List<String> options) {
        List<String> trainOptions = new ArrayList<>(options);
        trainOptions.add("-XX:AOTCacheOutput=" + cache);
        Path log = s.work().resolve(cache.getFileName() + ".log");
        ProcessBuilder builder = new ProcessBuilder(childCommand(classPath, fatJar, trainOptions))
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        childEnvironment(builder);
        long start = System.nanoTime();
        Benchmark.log("child-spawn: training an AOT cache %s", cache);
        try {
            Process child = builder.start();
            try {
                DataInputStream in = new DataInputStream(new BufferedInputStream(child.getInputStream()));
                OutputStream out = new BufferedOutputStream(child.getOutputStream());
                expect(FrameCodec.read(in, FrameCodec.DEFAULT_MAX_FRAME), Frame.Hello.class);
                for (int i = 1; i <= 505; i++) {
                    FrameCodec.write(out, i <= 500 ? new Frame.Task(i, 1, "noop", "{}") : new Frame.Task(i, 1, "sleep", "{\"ms\":1}"));
                    expect(FrameCodec.read(in, FrameCodec.DEFAULT_MAX_FRAME), Frame.Result.class);
                    expect(FrameCodec.read(in, FrameCodec.DEFAULT_MAX_FRAME), Frame.Stats.class);
                }
                QuiesceProcess.pause(Duration.ofMillis(500)); // its post-hello start-up work, done on the task thread
                FrameCodec.write(out, new Frame.Shutdown());
                out.close();
                // The cache is assembled at exit, by a second JVM the first one starts.
                if (!child.waitFor(5, TimeUnit.MINUTES)) {
                    throw new BenchFailure("the AOT training run did not end within 5 min; see " + log);
                }
            } finally {
                child.destroyForcibly();
            }
        } catch (IOException e) {
            throw new BenchFailure("AOT training failed: " + e + "; see " + log, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailure("interrupted");
        }
        if (!Files.isRegularFile(cache)) {
            throw new BenchFailure("no AOT cache written to " + cache + "; see " + log);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Benchmark.log("  AOT cache %s: %,d bytes in %.1f s", cache.getFileName(), size(cache), seconds);
        return seconds;
    }

    private static void expect(Frame frame, Class<? extends Frame> type) {
        if (!type.isInstance(frame)) {
            throw new BenchFailure("expected a " + type.getSimpleName() + " frame from the child, got " + frame);
        }
    }

    /** The pool's child command (see ChildCommand), for a class path of our choosing. */
    private static List<String> childCommand(Path classPath, boolean fatJar, List<String> options) {
        List<String> command = new ArrayList<>();
        onPath("setsid").ifPresent(command::add);
        command.add(JAVA.toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-XX:+DisplayVMOutputToStderr");
        command.addAll(options);
        command.addAll(List.of("-cp", classPath.toString()));
        if (fatJar) {
            command.addAll(List.of("-Dloader.main=" + ProcScan.CHILD_MAIN, PROPERTIES_LAUNCHER));
        } else {
            command.add(ProcScan.CHILD_MAIN);
        }
        return command;
    }

    private static void childEnvironment(ProcessBuilder builder) {
        Map<String, String> env = builder.environment();
        String path = env.get("PATH");
        env.clear();
        if (path != null) {
            env.put("PATH", path);
        }
        env.put("QUIESCE_PARENT_PID", Long.toString(ProcessHandle.current().pid()));
    }

    /** The service's own classes (BOOT-INF/classes of the fat jar) as a plain jar: all the child needs. */
    private void jarClasses(Path target) {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(new Attributes.Name("Enable-Native-Access"), "ALL-UNNAMED");
        String prefix = "BOOT-INF/classes/";
        try (JarFile fat = new JarFile(s.jar().toFile());
             JarOutputStream out = new JarOutputStream(Files.newOutputStream(target), manifest)) {
            for (JarEntry entry : fat.stream().toList()) {
                if (entry.getName().startsWith(prefix) && entry.getName().length() > prefix.length()) {
                    out.putNextEntry(new JarEntry(entry.getName().substring(prefix.length())));
                    if (!entry.isDirectory()) {
                        try (var in = fat.getInputStream(entry)) {
                            in.transferTo(out);
                        }
                    }
                    out.closeEntry();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build " + target, e);
        }
    }

    // ------------------------------------------------------------------------------------------ child-stop

    void stop() {
        List<Double> idle = new ArrayList<>();
        List<Double> hang = new ArrayList<>();
        List<String> idleNotes = new ArrayList<>();
        List<String> hangNotes = new ArrayList<>();
        for (int i = 1; i <= s.reps(); i++) {
            idle.add(stopOnce("child-stop-idle-" + i, 4, false, idleNotes));
        }
        for (int i = 1; i <= s.reps(); i++) {
            hang.add(stopOnce("child-stop-hang-" + i, 8, true, hangNotes));
        }
        rows.add(new String[] {"SIGTERM → exit with 4 idle children (`children.size=4`), " + s.reps() + "×",
                "median " + Stats.seconds(Stats.median(idle)) + ", max " + Stats.seconds(Stats.max(idle)),
                "≤ " + Stats.seconds(TARGET_STOP_IDLE), Stats.atMost(Stats.median(idle), Stats.max(idle), TARGET_STOP_IDLE)});
        rows.add(new String[] {"SIGTERM → exit with 8 children in `hang` (child-stop-timeout 2s, drain-timeout 0s, cancel-grace 0s), " + s.reps() + "×",
                "median " + Stats.seconds(Stats.median(hang)) + ", max " + Stats.seconds(Stats.max(hang)),
                "≤ " + Stats.seconds(TARGET_STOP_HANG), Stats.atMost(Stats.median(hang), Stats.max(hang), TARGET_STOP_HANG)});
        details.add("child-stop, 4 idle: SIGTERM → exit (s): " + Benchmark.fmt(idle) + "; " + String.join("; ", idleNotes));
        details.add("child-stop, 8 hang: SIGTERM → exit (s): " + Benchmark.fmt(hang) + "; " + String.join("; ", hangNotes));
    }

    private double stopOnce(String name, int size, boolean hang, List<String> notes) {
        Path dataDir = s.work().resolve(name);
        List<String> args = new ArrayList<>(List.of("--quiesce.children.size=" + size));
        if (hang) {
            args.addAll(List.of("--quiesce.shutdown.child-stop-timeout=2s", "--quiesce.shutdown.drain-timeout=0s",
                    "--quiesce.shutdown.cancel-grace=0s"));
        }
        QuiesceProcess service = QuiesceProcess.launch(s.jar(), dataDir, s.work().resolve(name + ".log"), s.serviceJvm(), args);
        double seconds;
        int left;
        try (service) {
            service.awaitReady(Duration.ofSeconds(120), Duration.ofMillis(50));
            await(size + " idle children", Duration.ofSeconds(120), () -> Scrape.of(service).value("quiesce_children", "state", "idle") >= size);
            if (hang) {
                QuiesceApi api = service.api();
                api.enqueueAll(Collections.nCopies(size, Map.of("type", "hang", "payload", Map.of())));
                await(size + " hang jobs RUNNING", Duration.ofSeconds(60),
                        () -> api.jobs("state=RUNNING&limit=" + (size + 1)).size() == size);
                QuiesceProcess.pause(Duration.ofMillis(200));
            } else {
                QuiesceProcess.pause(Duration.ofSeconds(1));
            }
            int before = ProcScan.childJvmsOf(service.pid()).size();
            service.signal(Signal.TERM);
            QuiesceProcess.Exit exit = service.awaitExit(Duration.ofSeconds(60));
            seconds = exit.sinceSignal().toNanos() / 1e9;
            left = ProcScan.ofService(service.pid()).size();
            String stopped = service.log().text().lines().filter(l -> l.contains("Child pool stopped")).findFirst()
                    .map(l -> l.substring(l.indexOf("Child pool stopped"))).orElse("no \"Child pool stopped\" line");
            Benchmark.log("  %s: %d child JVMs; SIGTERM → exit %.3f s (exit code %d); processes left %d; %s", name, before, seconds,
                    exit.code(), left, stopped);
            notes.add(String.format(Locale.ROOT, "%s: %.3f s, %d child JVMs before, %d processes after, %s", name, seconds, before, left,
                    stopped.length() > 200 ? stopped.substring(0, 200) + "…" : stopped));
        } finally {
            ProcScan.killAllOf(service.pid());
        }
        if (left > 0) {
            throw new BenchFailure(name + ": " + left + " process(es) of the service left after its exit");
        }
        Benchmark.deleteQuietly(dataDir);
        return seconds;
    }

    // ----------------------------------------------------------------------------------- child-parent-kill

    void parentKill() {
        List<Double> gone = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (int i = 1; i <= s.reps(); i++) {
            gone.add(parentKillOnce("child-parent-kill-" + i, notes));
        }
        rows.add(new String[] {"parent SIGKILL → last descendant gone (2 children running `spawn`, plain + daemonized grandchild), " + s.reps() + "×",
                "median " + Stats.seconds(Stats.median(gone)) + ", max " + Stats.seconds(Stats.max(gone)),
                "≤ " + Stats.seconds(TARGET_PARENT_KILL), Stats.atMost(Stats.median(gone), Stats.max(gone), TARGET_PARENT_KILL)});
        details.add("child-parent-kill: SIGKILL → last descendant gone (s): " + Benchmark.fmt(gone) + "; " + String.join("; ", notes));
    }

    private double parentKillOnce(String name, List<String> notes) {
        Path dataDir = s.work().resolve(name);
        QuiesceProcess service = QuiesceProcess.launch(s.jar(), dataDir, s.work().resolve(name + ".log"), s.serviceJvm(),
                List.of("--quiesce.children.size=2"));
        double seconds;
        try (service) {
            service.awaitReady(Duration.ofSeconds(120), Duration.ofMillis(50));
            await("2 idle children", Duration.ofSeconds(120), () -> Scrape.of(service).value("quiesce_children", "state", "idle") >= 2);
            QuiesceApi api = service.api();
            api.enqueue(Map.of("type", "spawn", "payload", Map.of("daemonize", true, "seconds", 600, "holdMs", 60000)));
            api.enqueue(Map.of("type", "spawn", "payload", Map.of("daemonize", false, "seconds", 600, "holdMs", 60000)));
            await("2 spawn jobs RUNNING with their grandchildren", Duration.ofSeconds(60),
                    () -> api.jobs("state=RUNNING&limit=3").size() == 2 && ProcScan.ofService(service.pid()).stream().filter(p -> p.cmdline().startsWith("sleep")).count() == 2);
            List<ProcScan.Proc> tree = ProcScan.ofService(service.pid());
            Set<ProcScan.Proc> watched = new LinkedHashSet<>(tree);
            long killed = service.signal(Signal.KILL).nanos();
            long deadline = killed + TimeUnit.SECONDS.toNanos(10);
            int rescans = 0;
            while (true) {
                watched.removeIf(p -> !p.isAlive());
                if (watched.isEmpty()) {
                    long seen = System.nanoTime();
                    rescans++;
                    List<ProcScan.Proc> more = ProcScan.ofService(service.pid());
                    if (more.isEmpty()) {
                        seconds = (seen - killed) / 1e9;
                        break;
                    }
                    watched.addAll(more);
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new BenchFailure(name + ": processes of the service alive 10 s after its SIGKILL: " + watched);
                }
                QuiesceProcess.pause(Duration.ofMillis(5));
            }
            service.awaitExit(Duration.ofSeconds(10));
            long jvms = tree.stream().filter(ProcScan.Proc::isChildJvm).count();
            Benchmark.log("  %s: %d processes (%d child JVMs) gone %.3f s after SIGKILL (%d rescans)", name, tree.size(), jvms, seconds, rescans);
            notes.add(String.format(Locale.ROOT, "%s: %d processes (%d child JVMs, %d others) gone after %.3f s",
                    name, tree.size(), jvms, tree.size() - jvms, seconds));
        } finally {
            ProcScan.killAllOf(service.pid());
        }
        Benchmark.deleteQuietly(dataDir);
        return seconds;
    }

    // -------------------------------------------------------------------------------------------------- misc

    private static ShutdownClock clock() {
        return new ShutdownClock(ShutdownBudget.of(new ShutdownProperties(Duration.ofSeconds(30), Duration.ZERO, null,
                Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(2), null)));
    }

    private static void await(String what, Duration atMost, BooleanSupplier condition) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new BenchFailure("not " + what + " within " + atMost);
            }
            QuiesceProcess.pause(Duration.ofMillis(10));
        }
    }

    static double percentile(List<Double> values, double p) {
        List<Double> sorted = values.stream().sorted().toList();
        int index = (int) Math.min(sorted.size() - 1, Math.max(0, Math.ceil(p / 100 * sorted.size()) - 1));
        return sorted.get(index);
    }

    private static String atMostMicros(double value, double target) {
        return value <= target ? String.format(Locale.ROOT, "met (%.0f %% of target)", value / target * 100)
                : String.format(Locale.ROOT, "**missed** by %.1f µs (%.0f %% over)", value - target, (value - target) / target * 100);
    }

    private static String atMostMillis(double p50, double p90, double target) {
        if (p50 > target) {
            return String.format(Locale.ROOT, "**missed** by %.0f ms (p50 %.0f %% over)", (p50 - target) * 1000, (p50 - target) / target * 100);
        }
        return p90 > target ? String.format(Locale.ROOT, "met by p50; p90 over by %.0f ms", (p90 - target) * 1000)
                : String.format(Locale.ROOT, "met (p90 %.0f %% of target)", p90 / target * 100);
    }

    private static Optional<String> onPath(String program) {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "/usr/bin:/bin" : path).split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }

    private static String run(Duration atMost, String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new BenchFailure(String.join(" ", command) + " did not finish within " + atMost);
            }
            return out;
        } catch (IOException e) {
            throw new BenchFailure(String.join(" ", command) + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailure("interrupted");
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}

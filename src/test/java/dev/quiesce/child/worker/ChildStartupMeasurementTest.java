package dev.quiesce.child.worker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Not a test but a measurement, printed and not asserted (DESIGN §9: benchmarks are not tests): a child's
 * time from process start to hello and to its first task's result, and its resident memory when idle,
 * under several sets of JVM options. Run it on purpose:
 * {@code ./mvnw -q -o test -Dtest=ChildStartupMeasurementTest -Dquiesce.measure=true}.
 */
@EnabledIfSystemProperty(named = "quiesce.measure", matches = "true")
class ChildStartupMeasurementTest {

    private static final int RUNS = 9;
    private static final List<String> SMALL = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k",
            "-XX:CICompilerCount=1", "-Xshare:auto", "-Xmx64m");
    private static final List<String> SMALLER = concat(SMALL, List.of("-Xms8m", "-Xmn4m", "-XX:ReservedCodeCacheSize=16m",
            "-XX:-UsePerfData", "-XX:+DisplayVMOutputToStderr", "-Xlog:all=warning:stderr", "-XX:+ExitOnOutOfMemoryError"));
    /** The AOT cache options refuse any -Xshare option. */
    private static final List<String> SMALLER_FOR_AOT = SMALLER.stream().filter(o -> !o.startsWith("-Xshare")).toList();

    @Test
    void measureStartUpAndIdleMemory(@TempDir Path dir) throws Exception {
        String pid = String.valueOf(ProcessHandle.current().pid());
        List<String> report = new ArrayList<>() {
            @Override
            public boolean add(String row) {
                System.out.println(row); // as it comes, in case a later configuration fails
                return super.add(row);
            }
        };
        report.add(row("options", measure(List.of(), null, pid)));
        report.add(row("small: " + String.join(" ", SMALL), measure(SMALL, null, pid)));
        report.add(row("smaller: " + String.join(" ", SMALLER.subList(SMALL.size(), SMALLER.size())) + " + small",
                measure(SMALLER, null, pid)));

        Path jar = jarOfChildClasses(dir);
        Path cache = dir.resolve("child.aot");
        train(jar, cache, pid);
        if (Files.exists(cache)) {
            report.add(row("smaller + -XX:AOTCache (" + Files.size(cache) / (1 << 20) + " MiB)",
                    measure(concat(SMALLER_FOR_AOT, List.of("-XX:AOTCache=" + cache)), jar, pid)));
        } else {
            report.add("AOT cache not written (training run failed)");
        }
        System.out.println("child start-up (median of " + RUNS + ", load average "
                + Files.readString(Path.of("/proc/loadavg")).strip() + "):");
        report.forEach(System.out::println);
    }

    private record Figures(long helloMs, long helloP90Ms, long firstTaskMs, long idleRssMib) {
    }

    private static String row(String options, Figures f) {
        return String.format("  hello p50 %4d ms p90 %4d ms | first noop result p50 %4d ms | idle RSS p50 %3d MiB | %s",
                f.helloMs, f.helloP90Ms, f.firstTaskMs, f.idleRssMib, options.equals("options") ? "(no options)" : options);
    }

    private static Figures measure(List<String> options, Path classPath, String pid) throws Exception {
        List<Long> hello = new ArrayList<>();
        List<Long> first = new ArrayList<>();
        List<Long> rss = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            try (ChildUnderTest child = classPath == null ? ChildUnderTest.start(options, pid)
                    : ChildUnderTest.start(options, pid, classPath.toString())) {
                child.awaitHello();
                hello.add(child.startToHello().toMillis());
                child.task(1, "noop", "{}");
                child.awaitResult();
                first.add(Duration.ofNanos(System.nanoTime() - child.startedNanos()).toMillis());
                Thread.sleep(500);
                rss.add(child.residentBytes() >> 20);
                child.send(new Frame.Shutdown());
                assertThat(child.awaitExit(Duration.ofSeconds(30))).isZero();
            }
        }
        return new Figures(median(hello), percentile(hello, 0.9), median(first), median(rss));
    }

    /** One run that does a bit of everything, writing the AOT cache when it exits. */
    private static void train(Path jar, Path cache, String pid) throws Exception {
        try (ChildUnderTest child = ChildUnderTest.start(concat(SMALLER_FOR_AOT, List.of("-XX:AOTCacheOutput=" + cache)), pid, jar.toString())) {
            child.awaitHello();
            child.run(1, "noop", "{}");
            child.run(2, "sleep", "{\"ms\": 10}");
            child.run(3, "sha256", "{\"mib\": 1}");
            child.run(4, "spawn", "{\"seconds\": 30}");
            child.run(5, "sleep", "{}");
            child.send(new Frame.Shutdown());
            child.awaitExit(Duration.ofSeconds(120));
        }
    }

    /** The AOT cache wants a class path of jars only. */
    private static Path jarOfChildClasses(Path dir) throws IOException {
        Path classes = Path.of(ChildUnderTest.childClassPath());
        Path jar = dir.resolve("child.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = classes.relativize(file).toString().replace('\\', '/');
                if (name.startsWith("dev/quiesce/child/worker/") || name.startsWith("META-INF/services/")) {
                    out.putNextEntry(new JarEntry(name));
                    try (var in = Files.newInputStream(file)) {
                        in.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
        }
        return jar;
    }

    private static long median(List<Long> values) {
        return percentile(values, 0.5);
    }

    private static long percentile(List<Long> values, double p) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}

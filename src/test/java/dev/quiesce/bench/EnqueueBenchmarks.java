package dev.quiesce.bench;

import dev.quiesce.testing.QuiesceApi;
import dev.quiesce.testing.QuiesceProcess;
import dev.quiesce.testing.Signal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The enqueue scenarios of issue 9 ({@code enqueue-h2}, {@code enqueue-pg}): the service ({@code java -jar}, defaults)
 * takes (i) {@code POST /jobs/batch} of 1000 jobs, sequentially, timed per request by the client (send → whole
 * answer read; bodies serialized beforehand), and (ii) single {@code POST /jobs} from several client threads at
 * once (blocking sends through one shared {@link HttpClient}, HTTP/1.1 keep-alive: one connection per concurrent
 * request, and a single selector thread, so the load generator takes as little as it can of the cores the service
 * shares with it), as a rate. Every job is a {@code sleep} due a day
 * ahead, so running jobs never competes with enqueueing. Every answer must be 201, and after the service exited
 * the database must hold exactly the jobs sent, all {@code QUEUED}.
 */
final class EnqueueBenchmarks {

    static final double TARGET_BATCH_P50_MS = 50;
    static final double TARGET_SINGLES_PG = 3_000;

    record Settings(Path jar, Path work, List<String> serviceJvm, int batchWarmup, int batches, int singlesWarmup, int singles,
                    int clients) {
    }

    private final Settings settings;
    private final List<String[]> rows;
    private final List<String> details;

    EnqueueBenchmarks(Settings settings, List<String[]> rows, List<String> details) {
        this.settings = settings;
        this.rows = rows;
        this.details = details;
    }

    /** One database: H2 (a fresh data directory) when {@code postgres} is null. */
    void run(BenchDatabase postgres) {
        String db = postgres == null ? "H2" : "PostgreSQL";
        String name = "enqueue-" + (postgres == null ? "h2" : "pg") + "-" + System.nanoTime() % 100000;
        Path dataDir = settings.work().resolve(name);
        List<String> args = new ArrayList<>();
        if (postgres != null) {
            postgres.reset();
            args.addAll(List.of("--spring.datasource.url=" + postgres.url(), "--spring.datasource.username=" + postgres.user(),
                    "--spring.datasource.password=" + postgres.password()));
        }
        Instant runAt = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> job = Map.of("type", "sleep", "payload", Map.of("ms", 0), "runAt", runAt.toString());
        String single = QuiesceApi.JSON.writeValueAsString(job);
        String batch = QuiesceApi.JSON.writeValueAsString(Map.of("jobs", Collections.nCopies(1000, job)));
        Benchmark.log("%s: %d + %d batches of 1000, then %d + %d single POST /jobs from %d clients, %s", name, settings.batchWarmup(),
                settings.batches(), settings.singlesWarmup(), settings.singles(), settings.clients(),
                postgres == null ? "H2 file in " + dataDir : postgres.url());
        double[] batchMillis;
        Singles singles;
        QuiesceProcess service = QuiesceProcess.launch(settings.jar(), dataDir, settings.work().resolve(name + ".log"), settings.serviceJvm(), args);
        try (service) {
            service.awaitReady(Duration.ofSeconds(120), Duration.ofMillis(50));
            URI base = URI.create("http://127.0.0.1:" + service.port() + "/jobs");
            HttpClient client = client();
            for (int i = 0; i < settings.batchWarmup(); i++) {
                post(client, URI.create(base + "/batch"), batch);
            }
            batchMillis = new double[settings.batches()];
            for (int i = 0; i < settings.batches(); i++) {
                batchMillis[i] = post(client, URI.create(base + "/batch"), batch) / 1e6;
            }
            Path ab = Ab.find();
            if (ab != null) {
                // ApacheBench, when installed (Debian: apache2-utils): a C client on one core. The JDK's HttpClient in
                // this JVM spends more CPU per request than the service does, on the same two cores, and so measured
                // itself (measured 2026-12-06: 781/s with it against 2,100/s with ab, same service).
                Ab.run(ab, base, single, settings.clients(), settings.singlesWarmup(), settings.work().resolve(name + "-warmup"));
                singles = Ab.run(ab, base, single, settings.clients(), settings.singles(), settings.work().resolve(name + "-singles"));
            } else {
                singles(client, base, single, settings.singlesWarmup());
                singles = singles(client, base, single, settings.singles());
            }
            service.signal(Signal.TERM);
            service.awaitExit(Duration.ofSeconds(60));
        }
        long expected = (long) (settings.batchWarmup() + settings.batches()) * 1000 + settings.singlesWarmup() + settings.singles();
        Map<String, Long> states;
        try (RunJobs jobs = postgres == null ? RunJobs.h2(dataDir) : RunJobs.postgres(postgres, 0)) {
            states = jobs.states();
        }
        if (states.size() != 1 || states.getOrDefault("QUEUED", 0L) != expected) {
            throw new BenchFailure("CORRECTNESS: expected " + expected + " QUEUED jobs after the enqueue run, found " + states + "; log " + service.log());
        }
        double p50 = percentile(batchMillis, 0.50);
        double p99 = percentile(batchMillis, 0.99);
        rows.add(new String[] {"enqueue " + db + ": `POST /jobs/batch` of 1,000 jobs, " + settings.batches() + " sequential (after "
                + settings.batchWarmup() + " warm-up): p50 / p99", String.format(Locale.ROOT, "p50 %.1f ms, p99 %.1f ms", p50, p99),
                String.format(Locale.ROOT, "p50 ≤ %.0f ms", TARGET_BATCH_P50_MS), atMostMillis(p50, TARGET_BATCH_P50_MS)});
        double rate = settings.singles() / singles.seconds();
        rows.add(new String[] {"enqueue " + db + ": " + String.format(Locale.ROOT, "%,d", settings.singles()) + " single `POST /jobs` from "
                + settings.clients() + " client threads", Stats.rate(rate),
                postgres == null ? "—" : "≥ " + Stats.rate(TARGET_SINGLES_PG),
                postgres == null ? "—" : Stats.atLeast(rate, TARGET_SINGLES_PG, "jobs/s")});
        details.add(String.format(Locale.ROOT, "%s: batch of 1,000 (ms, sorted): p50 %.1f, p90 %.1f, p99 %.1f (of %d: the p99 is the "
                        + "largest but %d), max %.1f, mean %.1f = %,.0f jobs/s sequentially; singles: %,d in %.2f s from %d clients, "
                        + "latency p50 %.2f ms, p99 %.2f ms, max %.1f ms (client: %s); %,d jobs QUEUED afterwards, as sent", name, p50,
                percentile(batchMillis, 0.9), p99, batchMillis.length, batchMillis.length - (int) Math.ceil(0.99 * batchMillis.length),
                Arrays.stream(batchMillis).max().orElse(Double.NaN), Arrays.stream(batchMillis).average().orElse(Double.NaN),
                1000 / (Arrays.stream(batchMillis).average().orElse(Double.NaN) / 1000), settings.singles(), singles.seconds(),
                settings.clients(), singles.p50(), singles.p99(), singles.max(), singles.client(), expected));
        Benchmark.log("  batch p50 %.1f ms p99 %.1f ms; singles %,.0f jobs/s (p50 %.2f ms, %s)", p50, p99, rate, singles.p50(),
                singles.client());
        Benchmark.deleteQuietly(dataDir);
    }

    /** A run of single POSTs: wall time, latency percentiles in milliseconds, and which client sent them. */
    record Singles(double seconds, double p50, double p99, double max, String client) {
    }

    /** {@code count} single POSTs shared out among the client threads, all released at once; wall time to the last answer. */
    private Singles singles(HttpClient client, URI jobs, String body, int count) {
        int clients = settings.clients();
        AtomicInteger tickets = new AtomicInteger(count);
        double[] millis = new double[count];
        AtomicInteger slot = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch go = new CountDownLatch(1);
        AtomicLong lastDone = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            threads.add(Thread.ofPlatform().name("enqueue-client-" + c).start(() -> {
                try {
                    go.await();
                    while (tickets.getAndDecrement() > 0 && failure.get() == null) {
                        long took = post(client, jobs, body);
                        millis[slot.getAndIncrement()] = took / 1e6;
                        lastDone.accumulateAndGet(System.nanoTime(), Math::max);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        long start = System.nanoTime();
        go.countDown();
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BenchFailure("interrupted while the clients enqueued", e);
            }
        }
        if (failure.get() != null) {
            throw new BenchFailure("single POST /jobs failed: " + failure.get().getMessage(), failure.get());
        }
        return new Singles((lastDone.get() - start) / 1e9, percentile(millis, 0.5), percentile(millis, 0.99),
                Arrays.stream(millis).max().orElse(Double.NaN), "the JDK's HttpClient, one thread per client (no ab installed)");
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** POSTs {@code body}, asserts the 201, returns the nanoseconds from send to the whole answer read. */
    private static long post(HttpClient client, URI uri, String body) {
        HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long start = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new BenchFailure("POST " + uri + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailure("interrupted during POST " + uri, e);
        }
        long took = System.nanoTime() - start;
        if (response.statusCode() != 201) {
            throw new BenchFailure("POST " + uri + " answered " + response.statusCode() + ": " + response.body());
        }
        return took;
    }

    /** Nearest-rank percentile. */
    static double percentile(double[] values, double q) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static String atMostMillis(double value, double target) {
        if (value <= target) {
            return String.format(Locale.ROOT, "met (%.0f %% of target)", value / target * 100);
        }
        return String.format(Locale.ROOT, "**missed** by %.1f ms (%.0f %% over)", value - target, (value - target) / target * 100);
    }
}

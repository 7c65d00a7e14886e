package dev.quiesce.deploy;

import dev.quiesce.testing.QuiesceApi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.quiesce.testing.QuiesceApi.jobRequest;
import static org.awaitility.Awaitility.await;

/**
 * The load a pod is stopped under, the same for the simulated pod and the real image: {@code sleep} jobs on the
 * service's threads and {@code sha256} jobs routed to child JVMs, some of them long enough to outlast a quick drain.
 */
final class PodLoad {

    private static final int SLEEPS = 8;
    private static final int HASHES = 4;
    private static final Duration RUNNING_BOUND = Duration.ofSeconds(60);

    private PodLoad() {
    }

    /** Enqueues the load and waits until jobs run on both threads and children; returns the job ids. */
    static List<Long> startAndAwaitRunning(QuiesceApi api, Duration pollInterval) {
        List<Map<String, Object>> requests = new ArrayList<>();
        for (int i = 0; i < SLEEPS; i++) {
            requests.add(jobRequest("sleep", 0, 3, "ms", 2000 + (i * 700) % 2001));
        }
        for (int i = 0; i < HASHES; i++) {
            requests.add(jobRequest("sha256", 0, 3, "mib", 256 + 64 * i, "seed", i));
        }
        List<Long> ids = api.enqueueAll(requests).stream().map(QuiesceApi::id).toList();
        await("sleeps running on threads and hashes in child JVMs").atMost(RUNNING_BOUND).pollInterval(pollInterval)
                .until(() -> api.jobs("state=RUNNING&type=sleep").size() >= 2
                        && !api.jobs("state=RUNNING&type=sha256").isEmpty());
        return ids;
    }
}

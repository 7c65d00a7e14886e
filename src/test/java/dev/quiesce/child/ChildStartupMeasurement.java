package dev.quiesce.child;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * Not a test: prints child spawn → ready (p50/p90 over 20 children, one at a time) and idle RSS with the
 * default JVM options. Run with {@code -Dquiesce.measure=true -Dtest=ChildStartupMeasurement}.
 */
@EnabledIfSystemProperty(named = "quiesce.measure", matches = "true")
class ChildStartupMeasurement {

    @TempDir
    Path dataDir;

    @Test
    void measureSpawnToReadyAndIdleRss() throws Exception {
        List<Double> readyMillis = new ArrayList<>();
        List<Long> rssKib = new ArrayList<>();
        String options = System.getProperty("quiesce.measure.options");
        ChildProperties properties = ChildProperties.defaults().withSize(1);
        if (options != null) {
            properties = new ChildProperties(1, 1000, properties.maxRss(), properties.taskTimeout(), List.of(options.split(" ")),
                    5, Duration.ofSeconds(60), java.util.Map.of(), properties.aotCache());
        }
        for (int i = 0; i < 21; i++) {
            PoolFixture fixture = PoolFixture.real(properties, dataDir);
            double ms;
            try {
                fixture.pool.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> fixture.pool.idle() == 1);
                ms = fixture.registry.find("quiesce.child.ready").timer().totalTime(java.util.concurrent.TimeUnit.MICROSECONDS) / 1000.0;
                Thread.sleep(300);
                long pid = fixture.pool.children().getFirst().pid();
                rssKib.add(Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                        .filter(l -> l.startsWith("VmRSS:")).map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(-1L));
            } finally {
                fixture.close();
            }
            if (i > 0) { // the first one warms the parent's own code paths
                readyMillis.add(ms);
            }
        }
        readyMillis.sort(null);
        rssKib.sort(null);
        System.out.printf("MEASURE options=%s%nMEASURE spawn->ready ms: p50 %.1f p90 %.1f min %.1f max %.1f%nMEASURE idle RSS MiB: median %.1f max %.1f%n",
                properties.jvmOptions(), readyMillis.get(9), readyMillis.get(17), readyMillis.getFirst(), readyMillis.getLast(),
                rssKib.get(10) / 1024.0, rssKib.getLast() / 1024.0);
    }
}

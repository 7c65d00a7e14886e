package dev.quiesce.queue;

import dev.quiesce.api.JobState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * {@code quiesce_queue_jobs{state}}: job counts from the database, shared by the whole fleet. One query per
 * {@link #MAX_AGE} at most, whoever scrapes; a failing database keeps the last known counts (and says so
 * once in the log) rather than breaking the scrape.
 */
@Component
class QueueDepthGauges {

    static final Duration MAX_AGE = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(QueueDepthGauges.class);

    private final JobQueue queue;
    private final Map<JobState, Long> counts = new EnumMap<>(JobState.class);
    private long refreshedAt = System.nanoTime() - MAX_AGE.toNanos() - 1;
    private boolean failing;

    QueueDepthGauges(JobQueue queue, MeterRegistry registry) {
        this.queue = queue;
        for (JobState state : JobState.values()) {
            counts.put(state, 0L);
            Gauge.builder("quiesce.queue.jobs", () -> count(state))
                    .description("Jobs in the queue by state, fleet-wide (from the database, cached " + MAX_AGE.toSeconds() + "s)")
                    .tag("state", state.name()).register(registry);
        }
    }

    private synchronized long count(JobState state) {
        if (System.nanoTime() - refreshedAt > MAX_AGE.toNanos()) {
            refreshedAt = System.nanoTime();
            try {
                counts.putAll(queue.countByState());
                failing = false;
            } catch (RuntimeException e) {
                if (!failing) {
                    log.warn("Cannot count queued jobs, reporting the last known counts: {}", e.toString());
                }
                failing = true;
            }
        }
        return counts.getOrDefault(state, 0L);
    }
}

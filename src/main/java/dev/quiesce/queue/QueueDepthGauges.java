package dev.quiesce.queue;

import dev.quiesce.api.JobState;
import dev.quiesce.job.JobTypes;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.Collection;
import java.util.function.ToDoubleFunction;

/**
 * The queue's fleet-wide gauges, read from the database ({@link QueueBacklog}):
 * {@code quiesce_queue_jobs{state}} for {@code QUEUED} and {@code RUNNING}, and {@code quiesce_queue_lag_seconds{type}},
 * how long the oldest ready job of each configured type has waited (0 when none waits). One query per
 * {@link #MAX_AGE} at most, whoever scrapes; a failing database keeps the last known values (and says so once in the
 * log) rather than breaking the scrape.
 *
 * <p>No terminal states: counting them means counting the history, whose size is set by the retention, not by the
 * work; finished work is counted as it happens by {@code quiesce_jobs_finished_total} and
 * {@code quiesce_job_duration_seconds_count}.
 */
@Component
class QueueDepthGauges {

    static final Duration MAX_AGE = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(QueueDepthGauges.class);

    private final QueueBacklog backlog;
    private final long maxAgeNanos;
    private QueueBacklog.Snapshot snapshot = QueueBacklog.Snapshot.EMPTY;
    private long refreshedAt;
    private boolean failing;

    @Autowired
    QueueDepthGauges(DataSource dataSource, JobTypes types, MeterRegistry registry) {
        this(new QueueBacklog(dataSource), types.types(), registry, MAX_AGE);
    }

    QueueDepthGauges(QueueBacklog backlog, Collection<String> types, MeterRegistry registry, Duration maxAge) {
        this.backlog = backlog;
        this.maxAgeNanos = maxAge.toNanos();
        this.refreshedAt = System.nanoTime() - maxAgeNanos - 1;
        state(registry, JobState.QUEUED, QueueBacklog.Snapshot::queued);
        state(registry, JobState.RUNNING, QueueBacklog.Snapshot::running);
        for (String type : types) {
            Gauge.builder("quiesce.queue.lag", this, gauges -> gauges.current().lag().getOrDefault(type, Duration.ZERO).toNanos() / 1e9)
                    .description("How long the oldest ready job of the type has waited, fleet-wide (from the database, cached "
                            + MAX_AGE.toSeconds() + "s); 0 when none waits")
                    .baseUnit("seconds").tag("type", type).register(registry);
        }
    }

    private void state(MeterRegistry registry, JobState state, ToDoubleFunction<QueueBacklog.Snapshot> count) {
        Gauge.builder("quiesce.queue.jobs", this, gauges -> count.applyAsDouble(gauges.current()))
                .description("Jobs queued or running, fleet-wide (from the database, cached " + MAX_AGE.toSeconds() + "s)")
                .tag("state", state.name()).register(registry);
    }

    synchronized QueueBacklog.Snapshot current() {
        if (System.nanoTime() - refreshedAt > maxAgeNanos) {
            refreshedAt = System.nanoTime();
            try {
                snapshot = backlog.read();
                if (failing) {
                    log.info("Reading the queue's backlog works again");
                }
                failing = false;
            } catch (RuntimeException e) {
                if (!failing) {
                    log.warn("Cannot read the queue's backlog, reporting the last known values: {}", e.toString());
                }
                failing = true;
            }
        }
        return snapshot;
    }
}

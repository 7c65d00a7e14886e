package dev.quiesce.dispatch;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The in-process runner ({@code quiesce.worker.*}).
 *
 * @param threads      how many jobs run at once in this JVM; the dispatcher never claims more than it can
 *                     start, so this is also the most jobs this instance holds
 * @param pollInterval how often the queue is polled for work enqueued elsewhere (a local enqueue wakes the
 *                     dispatcher at once)
 */
@ConfigurationProperties("quiesce.worker")
public record WorkerProperties(@DefaultValue("4") int threads, @DefaultValue("1s") Duration pollInterval) {

    public WorkerProperties {
        if (threads < 1 || threads > 1024) {
            throw new IllegalArgumentException("quiesce.worker.threads must be from 1 to 1024, was " + threads);
        }
        if (pollInterval.compareTo(Duration.ofMillis(10)) < 0) {
            throw new IllegalArgumentException("quiesce.worker.poll-interval must be at least 10ms, was " + pollInterval);
        }
    }
}

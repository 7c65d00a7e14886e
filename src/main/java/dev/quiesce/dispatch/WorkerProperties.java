package dev.quiesce.dispatch;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * The in-process runner ({@code quiesce.worker.*}). Each constraint's message is the value it expects: start-up
 * fails with "Set quiesce.worker.threads to a number from 1 to 1024." (see {@code PropertyBindingFailureAnalyzer}).
 *
 * @param threads      how many jobs run at once in this JVM. From 1 to 1024
 * @param pollInterval how often the queue is polled for work enqueued elsewhere (a local enqueue wakes the
 *                     dispatcher at once). At least 10ms
 * @param prefetch     the most jobs each runner claims ahead of its free slots, so that short jobs start without
 *                     waiting for the database; sized by itself below that from recent job durations (a claimed
 *                     job waits about 20 ms at most), handed back unstarted when the instance goes quiet or
 *                     stops. 0 claims only what can start now. From 0 to 1000
 */
@Validated
@ConfigurationProperties("quiesce.worker")
public record WorkerProperties(
        @Min(value = 1, message = "a number from 1 to 1024") @Max(value = 1024, message = "a number from 1 to 1024")
        @DefaultValue("4") int threads,
        @NotNull(message = "a duration of 10ms or more, such as 1s")
        @DurationMin(millis = 10, message = "a duration of 10ms or more, such as 1s")
        @DefaultValue("1s") Duration pollInterval,
        @Min(value = 0, message = "a number from 0 to 1000") @Max(value = 1000, message = "a number from 0 to 1000")
        @DefaultValue("256") int prefetch) {
}

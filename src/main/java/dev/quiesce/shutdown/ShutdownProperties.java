package dev.quiesce.shutdown;

import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The shutdown budget ({@code quiesce.shutdown.*}); {@link ShutdownBudget} splits it and checks that the slices
 * fit the grace period. Each constraint's message is the value it expects.
 *
 * @param gracePeriod              the whole time from SIGTERM to exit the platform grants
 *                                 (Kubernetes' terminationGracePeriodSeconds). Positive, and large
 *                                 enough for the other slices plus some drain time
 * @param preStop                  what the platform spends of the grace period before SIGTERM reaches us
 *                                 (a preStop sleep); 0 outside Kubernetes. 0s or more
 * @param drainTimeout             how long in-flight jobs may run on after SIGTERM before they are cancelled;
 *                                 unset means "everything the other slices leave". 0s or more, and no more than
 *                                 the other slices leave
 * @param cancelGrace              how long cancelled jobs get to stop before they are released and abandoned.
 *                                 0s or more
 * @param childStopTimeout         how long child JVMs get to exit before they are killed. 0s or more
 * @param margin                   reserve for closing the web server, the database and writing the report.
 *                                 0s or more
 * @param terminationMessagePath   where to write a short shutdown summary (Kubernetes' termination message);
 *                                 unset means nowhere
 */
@Validated
@ConfigurationProperties("quiesce.shutdown")
public record ShutdownProperties(
        @NotNull(message = "a positive duration such as 30s")
        @DurationMin(nanos = 0, inclusive = false, message = "a positive duration such as 30s")
        @DefaultValue("30s") Duration gracePeriod,
        @NotNull(message = "0s or a positive duration such as 5s")
        @DurationMin(nanos = 0, message = "0s or a positive duration such as 5s")
        @DefaultValue("0s") Duration preStop,
        @DurationMin(nanos = 0, message = "0s or a positive duration such as 20s, or unset")
        Duration drainTimeout,
        @NotNull(message = "0s or a positive duration such as 5s")
        @DurationMin(nanos = 0, message = "0s or a positive duration such as 5s")
        @DefaultValue("5s") Duration cancelGrace,
        @NotNull(message = "0s or a positive duration such as 5s")
        @DurationMin(nanos = 0, message = "0s or a positive duration such as 5s")
        @DefaultValue("5s") Duration childStopTimeout,
        @NotNull(message = "0s or a positive duration such as 2s")
        @DurationMin(nanos = 0, message = "0s or a positive duration such as 2s")
        @DefaultValue("2s") Duration margin,
        Path terminationMessagePath) {
}

package dev.quiesce.shutdown;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The shutdown budget ({@code quiesce.shutdown.*}); {@link ShutdownBudget} splits and validates it.
 *
 * @param gracePeriod              the whole time from SIGTERM to exit the platform grants
 *                                 (Kubernetes' {@code terminationGracePeriodSeconds})
 * @param preStop                  what the platform spends of the grace period before SIGTERM reaches us
 *                                 (a preStop sleep); 0 outside Kubernetes
 * @param drainTimeout             how long in-flight jobs may run on after SIGTERM before they are cancelled;
 *                                 unset means "everything the other slices leave"
 * @param cancelGrace              how long cancelled jobs get to stop before they are released and abandoned
 * @param childStopTimeout         how long child JVMs get to exit before they are killed
 * @param margin                   reserve for closing the web server, the database and writing the report
 * @param terminationMessagePath   where to write a short shutdown summary (Kubernetes' termination message);
 *                                 unset means nowhere
 */
@ConfigurationProperties("quiesce.shutdown")
public record ShutdownProperties(
        @DefaultValue("30s") Duration gracePeriod,
        @DefaultValue("0s") Duration preStop,
        Duration drainTimeout,
        @DefaultValue("5s") Duration cancelGrace,
        @DefaultValue("5s") Duration childStopTimeout,
        @DefaultValue("2s") Duration margin,
        Path terminationMessagePath) {
}

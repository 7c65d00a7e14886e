package dev.quiesce.child;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The pool of child JVMs ({@code quiesce.children.*}).
 *
 * @param size              how many child JVMs are kept started; 0 means no pool (child-routed jobs are never
 *                          claimed)
 * @param maxTasksPerChild  after this many tasks a child is retired (its replacement is started first)
 * @param maxRss            a child whose resident memory, reported after a task, exceeds this is retired
 * @param taskTimeout       a task running longer is cancelled; if it has not stopped after
 *                          {@code quiesce.shutdown.cancel-grace} its child is killed and replaced
 * @param jvmOptions        options for each child JVM; the defaults make a child small and quick to start
 *                          (C1 only, serial GC, small heap and stacks, exit on OOM, class data sharing)
 * @param restartIntensity  more crash restarts than this within {@code restart-period} degrade the pool
 *                          (health DOWN, no child-routed jobs) until it is resumed, instead of crash-looping
 * @param restartPeriod     the window over which restarts are counted
 * @param environment       extra environment variables for the children; otherwise a child sees only PATH,
 *                          LANG, LC_ALL, TZ, TMPDIR and JAVA_HOME of the service (no secrets)
 */
@ConfigurationProperties("quiesce.children")
public record ChildProperties(
        @DefaultValue("2") int size,
        @DefaultValue("1000") int maxTasksPerChild,
        @DefaultValue("256MB") DataSize maxRss,
        @DefaultValue("10m") Duration taskTimeout,
        @DefaultValue({"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xss512k", "-Xms8m",
                "-Xmx128m", "-XX:+ExitOnOutOfMemoryError", "-Xshare:auto"}) List<String> jvmOptions,
        @DefaultValue("5") int restartIntensity,
        @DefaultValue("60s") Duration restartPeriod,
        Map<String, String> environment) {

    private static final String P = "quiesce.children.";

    public ChildProperties {
        require(size >= 0 && size <= 256, "size must be from 0 to 256, was " + size);
        require(maxTasksPerChild >= 1, "max-tasks-per-child must be at least 1, was " + maxTasksPerChild);
        require(maxRss != null && maxRss.toBytes() >= DataSize.ofMegabytes(16).toBytes(),
                "max-rss must be at least 16MB, was " + maxRss);
        require(taskTimeout != null && !taskTimeout.isNegative() && !taskTimeout.isZero(),
                "task-timeout must be a positive duration, was " + taskTimeout);
        require(restartIntensity >= 0, "restart-intensity must be zero or more, was " + restartIntensity);
        require(restartPeriod != null && !restartPeriod.isNegative() && !restartPeriod.isZero(),
                "restart-period must be a positive duration, was " + restartPeriod);
        jvmOptions = jvmOptions == null ? List.of() : List.copyOf(jvmOptions);
        environment = environment == null ? Map.of() : Map.copyOf(environment);
    }

    /** The defaults, for code that builds a pool without Spring (tests, benchmarks). */
    public static ChildProperties defaults() {
        return new ChildProperties(2, 1000, DataSize.ofMegabytes(256), Duration.ofMinutes(10), DEFAULT_JVM_OPTIONS,
                5, Duration.ofSeconds(60), Map.of());
    }

    static final List<String> DEFAULT_JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData",
            "-Xss512k", "-Xms8m", "-Xmx128m", "-XX:+ExitOnOutOfMemoryError", "-Xshare:auto");

    public ChildProperties withSize(int newSize) {
        return new ChildProperties(newSize, maxTasksPerChild, maxRss, taskTimeout, jvmOptions, restartIntensity, restartPeriod, environment);
    }

    public ChildProperties withMaxTasksPerChild(int max) {
        return new ChildProperties(size, max, maxRss, taskTimeout, jvmOptions, restartIntensity, restartPeriod, environment);
    }

    public ChildProperties withTaskTimeout(Duration timeout) {
        return new ChildProperties(size, maxTasksPerChild, maxRss, timeout, jvmOptions, restartIntensity, restartPeriod, environment);
    }

    public ChildProperties withRestarts(int intensity, Duration period) {
        return new ChildProperties(size, maxTasksPerChild, maxRss, taskTimeout, jvmOptions, intensity, period, environment);
    }

    private static void require(boolean ok, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(P + problem);
        }
    }
}

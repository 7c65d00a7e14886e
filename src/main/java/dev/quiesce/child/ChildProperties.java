package dev.quiesce.child;

import dev.quiesce.shutdown.InvalidConfigurationException;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.nio.file.Files;
import java.nio.file.Path;
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
 * @param aotCache          a JDK AOT cache trained for the child JVM ({@code -XX:AOTCacheOutput}) on this class path
 *                          with these options, as the container image builds it ({@code /app/child.aot}): each
 *                          child then starts with {@code -XX:AOTCache} in place of any {@code -Xshare} option (the
 *                          JVM refuses both). A cache that does not fit (another class path, JDK or jar files) is
 *                          not used: the child says so on its stderr, in the service's log, and starts without it.
 *                          Unset: none
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
        Map<String, String> environment,
        Path aotCache) {

    private static final String P = "quiesce.children.";

    public ChildProperties {
        require(size >= 0 && size <= 256, "size", size, "a number from 0 (no pool) to 256");
        require(maxTasksPerChild >= 1, "max-tasks-per-child", maxTasksPerChild, "1 or more");
        require(maxRss != null && maxRss.toBytes() >= DataSize.ofMegabytes(16).toBytes(), "max-rss", maxRss,
                "16MB or more");
        require(taskTimeout != null && !taskTimeout.isNegative() && !taskTimeout.isZero(), "task-timeout", taskTimeout,
                "a positive duration such as 10m");
        require(restartIntensity >= 0, "restart-intensity", restartIntensity, "0 or more");
        require(restartPeriod != null && !restartPeriod.isNegative() && !restartPeriod.isZero(), "restart-period",
                restartPeriod, "a positive duration such as 60s");
        jvmOptions = jvmOptions == null ? List.of() : List.copyOf(jvmOptions);
        environment = environment == null ? Map.of() : Map.copyOf(environment);
        require(aotCache == null || (Files.isRegularFile(aotCache) && Files.isReadable(aotCache)), "aot-cache", aotCache,
                "a readable AOT cache file (written by java -XX:AOTCacheOutput), or leave it unset");
    }

    /** The defaults, for code that builds a pool without Spring (tests, benchmarks). */
    public static ChildProperties defaults() {
        return new ChildProperties(2, 1000, DataSize.ofMegabytes(256), Duration.ofMinutes(10), DEFAULT_JVM_OPTIONS,
                5, Duration.ofSeconds(60), Map.of(), null);
    }

    static final List<String> DEFAULT_JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData",
            "-Xss512k", "-Xms8m", "-Xmx128m", "-XX:+ExitOnOutOfMemoryError", "-Xshare:auto");

    public ChildProperties withSize(int newSize) {
        return new ChildProperties(newSize, maxTasksPerChild, maxRss, taskTimeout, jvmOptions, restartIntensity, restartPeriod, environment, aotCache);
    }

    public ChildProperties withMaxTasksPerChild(int max) {
        return new ChildProperties(size, max, maxRss, taskTimeout, jvmOptions, restartIntensity, restartPeriod, environment, aotCache);
    }

    public ChildProperties withTaskTimeout(Duration timeout) {
        return new ChildProperties(size, maxTasksPerChild, maxRss, timeout, jvmOptions, restartIntensity, restartPeriod, environment, aotCache);
    }

    public ChildProperties withRestarts(int intensity, Duration period) {
        return new ChildProperties(size, maxTasksPerChild, maxRss, taskTimeout, jvmOptions, intensity, period, environment, aotCache);
    }

    public ChildProperties withAotCache(Path cache) {
        return new ChildProperties(size, maxTasksPerChild, maxRss, taskTimeout, jvmOptions, restartIntensity, restartPeriod, environment, cache);
    }

    /** Fails start-up with the property, its value and the fix (see {@code InvalidConfigurationFailureAnalyzer}). */
    private static void require(boolean ok, String name, Object value, String expected) {
        if (!ok) {
            throw new InvalidConfigurationException(P + name + " is " + value + ", which cannot work.",
                    "Set " + P + name + " to " + expected + ".");
        }
    }
}

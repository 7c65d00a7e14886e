package dev.quiesce.child;

import dev.quiesce.settings.InvalidConfigurationException;
import dev.quiesce.settings.MinDataSize;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The pool of child JVMs ({@code quiesce.children.*}). Each constraint's message is the value it expects.
 *
 * @param size              how many child JVMs are kept started; 0 means no pool (child-routed jobs are never
 *                          claimed). From 0 to 256
 * @param maxTasksPerChild  after this many tasks a child is retired (its replacement is started first). 1 or more
 * @param maxRss            a child whose resident memory, reported after a task, exceeds this is retired. 16MB or
 *                          more
 * @param taskTimeout       a task running longer is cancelled; if it has not stopped after
 *                          quiesce.shutdown.cancel-grace its child is killed and replaced. Positive
 * @param jvmOptions        options for each child JVM; the defaults make a child small and quick to start
 *                          (C1 only, serial GC, small heap and stacks, exit on OOM, class data sharing)
 * @param restartIntensity  more crash restarts than this within restart-period degrade the pool
 *                          (health DOWN, no child-routed jobs) until it is resumed, instead of crash-looping.
 *                          0 or more (0: the first crash degrades the pool)
 * @param restartPeriod     the window over which restarts are counted. Positive
 * @param environment       extra environment variables for the children; otherwise a child sees only PATH,
 *                          LANG, LC_ALL, TZ, TMPDIR and JAVA_HOME of the service (no secrets)
 * @param aotCache          a JDK AOT cache trained for the child JVM (-XX:AOTCacheOutput) on this class path
 *                          with these options, as the container image builds it (/app/child.aot): each
 *                          child then starts with -XX:AOTCache in place of any -Xshare option (the
 *                          JVM refuses both). A cache that does not fit (another class path, JDK or jar files) is
 *                          not used: the child says so on its stderr, in the service's log, and starts without it.
 *                          Unset: none. Set: it must be a readable file
 */
@Validated
@ConfigurationProperties("quiesce.children")
public record ChildProperties(
        @Min(value = 0, message = "a number from 0 (no pool) to 256") @Max(value = 256, message = "a number from 0 (no pool) to 256")
        @DefaultValue("2") int size,
        @Min(value = 1, message = "1 or more")
        @DefaultValue("1000") int maxTasksPerChild,
        @NotNull(message = "a size of 16MB or more, such as 256MB")
        @MinDataSize(value = "16MB", message = "a size of 16MB or more, such as 256MB")
        @DefaultValue("256MB") DataSize maxRss,
        @NotNull(message = "a positive duration such as 10m")
        @DurationMin(nanos = 0, inclusive = false, message = "a positive duration such as 10m")
        @DefaultValue("10m") Duration taskTimeout,
        @DefaultValue({"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xss512k", "-Xms8m",
                "-Xmx128m", "-XX:+ExitOnOutOfMemoryError", "-Xshare:auto"}) List<String> jvmOptions,
        @Min(value = 0, message = "0 or more")
        @DefaultValue("5") int restartIntensity,
        @NotNull(message = "a positive duration such as 60s")
        @DurationMin(nanos = 0, inclusive = false, message = "a positive duration such as 60s")
        @DefaultValue("60s") Duration restartPeriod,
        Map<String, String> environment,
        Path aotCache) {

    /** The checks Bean Validation cannot make: the AOT cache must be a file this JVM can read. */
    public ChildProperties {
        jvmOptions = jvmOptions == null ? List.of() : List.copyOf(jvmOptions);
        environment = environment == null ? Map.of() : Map.copyOf(environment);
        if (aotCache != null && !(Files.isRegularFile(aotCache) && Files.isReadable(aotCache))) {
            throw new InvalidConfigurationException(
                    "quiesce.children.aot-cache is " + aotCache + ", which is not a readable file.",
                    "Set quiesce.children.aot-cache to a readable AOT cache file (written by java -XX:AOTCacheOutput), "
                            + "or leave it unset.");
        }
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
}

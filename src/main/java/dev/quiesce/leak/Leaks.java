package dev.quiesce.leak;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one place a leak is counted, whoever finds it. Three meters per {@link LeakKind}, all registered here at
 * start-up with value 0: {@code quiesce.leaks.detected} (every leak found), {@code quiesce.leaks.reclaimed}
 * (those we took back: a directory removed, a process killed, a zombie reaped, a lease released) and the gauge
 * {@code quiesce.leaked.resources} (those outstanding now: found and neither reclaimed nor gone).
 *
 * <p>Every detection is logged at WARN with what was found, so a leak is never only a number.
 */
public final class Leaks {

    private static final Logger log = LoggerFactory.getLogger(Leaks.class);

    private final Map<LeakKind, Counter> detected = new EnumMap<>(LeakKind.class);
    private final Map<LeakKind, Counter> reclaimed = new EnumMap<>(LeakKind.class);
    private final Map<LeakKind, AtomicLong> outstanding = new EnumMap<>(LeakKind.class);
    private final Map<LeakKind, AtomicLong> detectedCounts = new EnumMap<>(LeakKind.class);

    public Leaks(MeterRegistry registry) {
        for (LeakKind kind : LeakKind.values()) {
            detected.put(kind, Counter.builder("quiesce.leaks.detected").description("Leaked resources found, by kind")
                    .tag("kind", kind.tag()).register(registry));
            reclaimed.put(kind, Counter.builder("quiesce.leaks.reclaimed")
                    .description("Leaked resources taken back (removed, killed, reaped, released), by kind")
                    .tag("kind", kind.tag()).register(registry));
            AtomicLong now = new AtomicLong();
            outstanding.put(kind, now);
            detectedCounts.put(kind, new AtomicLong());
            Gauge.builder("quiesce.leaked.resources", now, AtomicLong::get)
                    .description("Leaked resources outstanding now: found, and neither reclaimed nor gone, by kind")
                    .tag("kind", kind.tag()).register(registry);
        }
    }

    /** Found {@code count} leaks of a kind that are still there; {@code what} names them for the log. */
    public void detected(LeakKind kind, int count, String what) {
        if (count <= 0) {
            return;
        }
        detected.get(kind).increment(count);
        detectedCounts.get(kind).addAndGet(count);
        outstanding.get(kind).addAndGet(count);
        log.warn("Leak: {} {} {}", count, kind.tag(), what);
    }

    /** Found {@code count} leaks of a kind and took them back at once (the usual case). */
    public void reclaimed(LeakKind kind, int count, String what) {
        if (count <= 0) {
            return;
        }
        detected.get(kind).increment(count);
        detectedCounts.get(kind).addAndGet(count);
        reclaimed.get(kind).increment(count);
        log.warn("Leak: {} {} {} (reclaimed)", count, kind.tag(), what);
    }

    /** Took back {@code count} leaks reported earlier through {@link #detected}. */
    public void reclaimedLater(LeakKind kind, int count) {
        if (count <= 0) {
            return;
        }
        reclaimed.get(kind).increment(count);
        decrease(kind, count);
    }

    /** {@code count} leaks reported earlier through {@link #detected} went away on their own (a leaked thread ended). */
    public void gone(LeakKind kind, int count) {
        decrease(kind, count);
    }

    /** Leaks outstanding now, every kind present. */
    public Map<LeakKind, Long> outstanding() {
        return snapshot(outstanding);
    }

    /** Leaks found since start-up, every kind present. */
    public Map<LeakKind, Long> detected() {
        return snapshot(detectedCounts);
    }

    private void decrease(LeakKind kind, int count) {
        if (count > 0) {
            outstanding.get(kind).accumulateAndGet(count, (now, less) -> Math.max(0, now - less));
        }
    }

    private static Map<LeakKind, Long> snapshot(Map<LeakKind, AtomicLong> counts) {
        Map<LeakKind, Long> copy = new EnumMap<>(LeakKind.class);
        counts.forEach((kind, value) -> copy.put(kind, value.get()));
        return Collections.unmodifiableMap(copy);
    }
}

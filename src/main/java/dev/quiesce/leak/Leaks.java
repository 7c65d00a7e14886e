package dev.quiesce.leak;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one place a leak is counted, whoever finds it. Three meters per {@link LeakKind}, all registered here at
 * start-up with value 0: {@code quiesce.leaks.detected} (every leak found), {@code quiesce.leaks.reclaimed}
 * (those taken back: a directory removed, a process killed, a zombie reaped, a lease released) and the gauge
 * {@code quiesce.leaked.resources} (those outstanding now: found, and neither reclaimed nor gone).
 *
 * <p>A leak that stays outstanding has a key (a thread, a pid, a path), so that whoever finds it again — the
 * shutdown audit after a run-time check — does not count it twice, and so that it can later be marked
 * reclaimed or gone. Every detection is logged at WARN with what was found: a leak is never only a number.
 */
public final class Leaks {

    private static final Logger log = LoggerFactory.getLogger(Leaks.class);

    private final Map<LeakKind, Counter> detected = new EnumMap<>(LeakKind.class);
    private final Map<LeakKind, Counter> reclaimed = new EnumMap<>(LeakKind.class);
    private final Map<LeakKind, Set<Object>> outstanding = new EnumMap<>(LeakKind.class);
    private final Map<LeakKind, AtomicLong> detectedCounts = new EnumMap<>(LeakKind.class);

    public Leaks(MeterRegistry registry) {
        for (LeakKind kind : LeakKind.values()) {
            detected.put(kind, Counter.builder("quiesce.leaks.detected").description("Leaked resources found, by kind")
                    .tag("kind", kind.tag()).register(registry));
            reclaimed.put(kind, Counter.builder("quiesce.leaks.reclaimed")
                    .description("Leaked resources taken back (removed, killed, reaped, released), by kind")
                    .tag("kind", kind.tag()).register(registry));
            Set<Object> keys = ConcurrentHashMap.newKeySet();
            outstanding.put(kind, keys);
            detectedCounts.put(kind, new AtomicLong());
            Gauge.builder("quiesce.leaked.resources", keys, Set::size)
                    .description("Leaked resources outstanding now: found, and neither reclaimed nor gone, by kind")
                    .tag("kind", kind.tag()).register(registry);
        }
    }

    /**
     * Found a leak that is still there, identified by {@code key} (a {@link Thread}, a pid, a {@code Path}...);
     * {@code what} describes it for the log. False, and nothing counted, if that key is already outstanding.
     */
    public boolean detected(LeakKind kind, Object key, String what) {
        if (!outstanding.get(kind).add(key)) {
            return false;
        }
        count(kind, 1);
        log.warn("Leak: {} {}", kind.tag(), what);
        return true;
    }

    /** Found {@code count} leaks of a kind and took them back at once (the usual case). */
    public void reclaimed(LeakKind kind, int count, String what) {
        if (count <= 0) {
            return;
        }
        count(kind, count);
        reclaimed.get(kind).increment(count);
        log.warn("Leak: {} {} {} (reclaimed)", count, kind.tag(), what);
    }

    /** Took back a leak reported earlier through {@link #detected}; false if it was not outstanding. */
    public boolean reclaimedLater(LeakKind kind, Object key) {
        if (!outstanding.get(kind).remove(key)) {
            return false;
        }
        reclaimed.get(kind).increment();
        log.info("Leak reclaimed: {} {}", kind.tag(), key);
        return true;
    }

    /** A leak reported earlier through {@link #detected} went away on its own (a leaked thread ended). */
    public boolean gone(LeakKind kind, Object key) {
        return outstanding.get(kind).remove(key);
    }

    public boolean isOutstanding(LeakKind kind, Object key) {
        return outstanding.get(kind).contains(key);
    }

    /** The keys of the leaks of a kind outstanding now. */
    public Set<Object> outstandingKeys(LeakKind kind) {
        return Set.copyOf(outstanding.get(kind));
    }

    /** Leaks outstanding now, every kind present. */
    public Map<LeakKind, Long> outstanding() {
        Map<LeakKind, Long> copy = new EnumMap<>(LeakKind.class);
        outstanding.forEach((kind, keys) -> copy.put(kind, (long) keys.size()));
        return Collections.unmodifiableMap(copy);
    }

    /** Leaks found since start-up, every kind present. */
    public Map<LeakKind, Long> detected() {
        Map<LeakKind, Long> copy = new EnumMap<>(LeakKind.class);
        detectedCounts.forEach((kind, count) -> copy.put(kind, count.get()));
        return Collections.unmodifiableMap(copy);
    }

    private void count(LeakKind kind, int count) {
        detected.get(kind).increment(count);
        detectedCounts.get(kind).addAndGet(count);
    }
}

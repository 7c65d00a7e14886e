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
import java.util.function.BooleanSupplier;

/**
 * The one place a leak is counted, whoever finds it. Three meters per {@link LeakKind}, all registered here at
 * start-up with value 0: {@code quiesce.leaks.detected} (every leak found), {@code quiesce.leaks.reclaimed}
 * (those taken back: a directory removed, a process killed, a zombie reaped, a lease released) and the gauge
 * {@code quiesce.leaked.resources} (those outstanding now: found, and neither reclaimed nor gone).
 *
 * <p>A leak that stays outstanding has a key (a thread, a pid, a path), so that whoever finds it again — the
 * shutdown audit after a run-time check — does not count it twice, and a way to tell whether it is still
 * there, so that a leaked thread that ends or a process that dies stops being outstanding by itself. Every
 * detection is logged at WARN with what was found: a leak is never only a number.
 *
 * <p>Leaks a previous run of this instance left (found at start-up) are counted the same way but also kept
 * apart as <em>inherited</em>: they are reported, but they are not this run's doing.
 */
public final class Leaks {

    private static final Logger log = LoggerFactory.getLogger(Leaks.class);
    private static final BooleanSupplier ALWAYS = () -> true;

    private final Map<LeakKind, Counter> detected = new EnumMap<>(LeakKind.class);
    private final Map<LeakKind, Counter> reclaimed = new EnumMap<>(LeakKind.class);
    private final Map<LeakKind, Map<Object, BooleanSupplier>> outstanding = new EnumMap<>(LeakKind.class);
    private final Map<LeakKind, AtomicLong> detectedCounts = new EnumMap<>(LeakKind.class);
    private final Map<LeakKind, AtomicLong> inheritedCounts = new EnumMap<>(LeakKind.class);

    public Leaks(MeterRegistry registry) {
        for (LeakKind kind : LeakKind.values()) {
            detected.put(kind, Counter.builder("quiesce.leaks.detected").description("Leaked resources found, by kind")
                    .tag("kind", kind.tag()).register(registry));
            reclaimed.put(kind, Counter.builder("quiesce.leaks.reclaimed")
                    .description("Leaked resources taken back (removed, killed, reaped, released), by kind")
                    .tag("kind", kind.tag()).register(registry));
            outstanding.put(kind, new ConcurrentHashMap<>());
            detectedCounts.put(kind, new AtomicLong());
            inheritedCounts.put(kind, new AtomicLong());
            Gauge.builder("quiesce.leaked.resources", () -> outstanding(kind))
                    .description("Leaked resources outstanding now: found, and neither reclaimed nor gone, by kind")
                    .tag("kind", kind.tag()).register(registry);
        }
    }

    /**
     * Found a leak that is still there, identified by {@code key} (a {@link Thread}, a pid, a {@code Path}...);
     * {@code what} describes it for the log. False, and nothing counted, if that key is already outstanding.
     */
    public boolean detected(LeakKind kind, Object key, String what) {
        return detected(kind, key, what, ALWAYS);
    }

    /** As {@link #detected(LeakKind, Object, String)}; the leak stops being outstanding once {@code stillThere} says no. */
    public boolean detected(LeakKind kind, Object key, String what, BooleanSupplier stillThere) {
        if (outstanding.get(kind).putIfAbsent(key, stillThere) != null) {
            return false;
        }
        count(kind, 1);
        log.warn("Leak: {} {}", kind.tag(), what);
        return true;
    }

    /**
     * Found several leaks of a kind that are still there, in one log line ({@code what} describes them all);
     * keys already outstanding are skipped. Returns how many were new.
     */
    public int detectedAll(LeakKind kind, java.util.Collection<?> keys, String what) {
        int added = 0;
        for (Object key : keys) {
            if (outstanding.get(kind).putIfAbsent(key, ALWAYS) == null) {
                added++;
            }
        }
        if (added > 0) {
            count(kind, added);
            log.warn("Leak: {} {} {}", added, kind.tag(), what);
        }
        return added;
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

    /** Found {@code count} leaks of a previous run of this instance at start-up, and took them back. */
    public void inherited(LeakKind kind, int count, String what) {
        if (count <= 0) {
            return;
        }
        inheritedCounts.get(kind).addAndGet(count);
        count(kind, count);
        reclaimed.get(kind).increment(count);
        log.warn("Leak of a previous run: {} {} {} (reclaimed)", count, kind.tag(), what);
    }

    /** Took back a leak reported earlier through {@link #detected}; false if it was not outstanding. */
    public boolean reclaimedLater(LeakKind kind, Object key) {
        if (outstanding.get(kind).remove(key) == null) {
            return false;
        }
        reclaimed.get(kind).increment();
        log.info("Leak reclaimed: {} {}", kind.tag(), key);
        return true;
    }

    public boolean isOutstanding(LeakKind kind, Object key) {
        prune(kind);
        return outstanding.get(kind).containsKey(key);
    }

    /** The keys of the leaks of a kind outstanding now. */
    public Set<Object> outstandingKeys(LeakKind kind) {
        prune(kind);
        return Set.copyOf(outstanding.get(kind).keySet());
    }

    /** Leaks outstanding now, every kind present. */
    public Map<LeakKind, Long> outstanding() {
        Map<LeakKind, Long> copy = new EnumMap<>(LeakKind.class);
        for (LeakKind kind : LeakKind.values()) {
            copy.put(kind, outstanding(kind));
        }
        return Collections.unmodifiableMap(copy);
    }

    /** Leaks found since start-up, inherited ones included, every kind present. */
    public Map<LeakKind, Long> detected() {
        return snapshot(detectedCounts);
    }

    /** Leaks of a previous run found at start-up, every kind present. */
    public Map<LeakKind, Long> inherited() {
        return snapshot(inheritedCounts);
    }

    /** Leaks this run caused: found since start-up, less the inherited ones; every kind present. */
    public Map<LeakKind, Long> caused() {
        Map<LeakKind, Long> copy = new EnumMap<>(LeakKind.class);
        detectedCounts.forEach((kind, count) -> copy.put(kind, count.get() - inheritedCounts.get(kind).get()));
        return Collections.unmodifiableMap(copy);
    }

    private long outstanding(LeakKind kind) {
        prune(kind);
        return outstanding.get(kind).size();
    }

    /** Drops the leaks that went away on their own (a leaked thread ended, a leaked process died). */
    private void prune(LeakKind kind) {
        outstanding.get(kind).entrySet().removeIf(leak -> {
            if (leak.getValue().getAsBoolean()) {
                return false;
            }
            log.info("Leak gone: {} {}", kind.tag(), leak.getKey());
            return true;
        });
    }

    private static Map<LeakKind, Long> snapshot(Map<LeakKind, AtomicLong> counts) {
        Map<LeakKind, Long> copy = new EnumMap<>(LeakKind.class);
        counts.forEach((kind, count) -> copy.put(kind, count.get()));
        return Collections.unmodifiableMap(copy);
    }

    private void count(LeakKind kind, int count) {
        detected.get(kind).increment(count);
        detectedCounts.get(kind).addAndGet(count);
    }
}

package dev.quiesce.child;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.ToIntFunction;

/**
 * The child meters of DESIGN §6, every (meter, tag value) pair registered when the pool is built, with value
 * 0, so dashboards never see "no data" and no meter is created after the registry closes at shutdown.
 */
final class ChildMetrics {

    private static final List<ChildState> GAUGED = List.of(ChildState.STARTING, ChildState.IDLE, ChildState.BUSY, ChildState.RETIRING);

    private final Map<StartReason, Counter> starts = new EnumMap<>(StartReason.class);
    private final Map<ChildExit, Counter> exits = new EnumMap<>(ChildExit.class);
    private final Timer ready;

    ChildMetrics(MeterRegistry registry, ToIntFunction<ChildState> childrenIn, BooleanSupplier degraded) {
        Gauge.builder("quiesce.child.pool.degraded", () -> degraded.getAsBoolean() ? 1 : 0)
                .description("1 while the child pool is degraded (too many crash restarts; child-routed jobs wait), else 0")
                .register(registry);
        for (ChildState state : GAUGED) {
            Gauge.builder("quiesce.children", () -> childrenIn.applyAsInt(state)).description("Child JVMs, by state")
                    .tag("state", state.tag()).register(registry);
        }
        for (StartReason reason : StartReason.values()) {
            starts.put(reason, Counter.builder("quiesce.child.starts").description("Child JVMs started, by reason")
                    .tag("reason", reason.tag()).register(registry));
        }
        for (ChildExit how : ChildExit.values()) {
            exits.put(how, Counter.builder("quiesce.child.exits").description("Child JVMs ended, by how")
                    .tag("how", how.tag()).register(registry));
        }
        ready = Timer.builder("quiesce.child.ready").description("Time from launching a child JVM to its hello frame")
                .register(registry);
    }

    void started(StartReason reason) {
        starts.get(reason).increment();
    }

    void exited(ChildExit how) {
        exits.get(how).increment();
    }

    void ready(Duration elapsed) {
        ready.record(elapsed);
    }
}

package dev.quiesce.shutdown;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How long each shutdown phase took. Spring stops the phases in order and starts the next one only when the
 * previous one is over, so a phase ends when the next begins: a {@link Marker} in the web server's phase and one
 * in the children's phase note those moments; the dispatch phase starts with the shutdown (the
 * {@link ShutdownClock}'s start) and the audit phase ends with the report. Each phase is recorded in
 * {@code quiesce.shutdown.phase} (tag {@code phase}) as it ends — registered for every phase at start-up, so the
 * dispatch phase, which ends while the management server still answers, can still be scraped.
 */
public final class ShutdownTimeline {

    /** The phases of the report, in order; their names are the {@code phase} tag. */
    public static final List<String> PHASES = List.of("dispatch", "web_server", "children", "audit");

    private final ShutdownClock clock;
    private final Map<String, Timer> timers = new LinkedHashMap<>();
    private final Map<String, Duration> took = new LinkedHashMap<>();
    private long phaseStart;

    ShutdownTimeline(ShutdownClock clock, MeterRegistry registry) {
        this.clock = clock;
        for (String phase : PHASES) {
            timers.put(phase, Timer.builder("quiesce.shutdown.phase").description("Time each shutdown phase took")
                    .tag("phase", phase).register(registry));
        }
    }

    /** The phase before {@code next} is over: records it and starts {@code next}. Later calls for a phase change nothing. */
    synchronized void begin(String next) {
        int index = PHASES.indexOf(next);
        if (index <= 0 || took.containsKey(next) || took.containsKey(PHASES.get(index - 1))) {
            return;
        }
        long now = System.nanoTime();
        if (took.isEmpty()) {
            phaseStart = clock.deadlines().start().nanoTime();
        }
        // Phases that had nothing to stop (their marker never ran) took no time of their own.
        for (int i = 0; i < index; i++) {
            String phase = PHASES.get(i);
            if (!took.containsKey(phase)) {
                record(phase, i == index - 1 ? Duration.ofNanos(Math.max(0, now - phaseStart)) : Duration.ZERO);
            }
        }
        phaseStart = now;
    }

    /** The audit is over: records it. */
    synchronized void end() {
        begin("audit");
        if (!took.containsKey("audit")) {
            record("audit", Duration.ofNanos(Math.max(0, System.nanoTime() - phaseStart)));
        }
    }

    /** The phases recorded so far, in order. */
    synchronized Map<String, Duration> phases() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(took));
    }

    private void record(String phase, Duration duration) {
        took.put(phase, duration);
        timers.get(phase).record(duration);
    }

    /**
     * Notes, when Spring stops its phase, that the phase before it is over. It stops nothing and calls back at
     * once, so it never delays the phase it sits in.
     */
    static final class Marker implements SmartLifecycle {

        private final ShutdownTimeline timeline;
        private final String phaseName;
        private final int phase;
        private volatile boolean running;

        Marker(ShutdownTimeline timeline, String phaseName, int phase) {
            this.timeline = timeline;
            this.phaseName = phaseName;
            this.phase = phase;
        }

        @Override
        public void start() {
            running = true;
        }

        @Override
        public void stop() {
            timeline.begin(phaseName);
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public int getPhase() {
            return phase;
        }
    }
}

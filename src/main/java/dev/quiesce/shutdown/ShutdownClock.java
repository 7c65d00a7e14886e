package dev.quiesce.shutdown;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.stereotype.Component;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Marks when shutdown began: the first {@link ContextClosedEvent} (published as a SIGTERM or SIGINT closes the
 * context, before any bean stops). Every phase asks it for the same {@link ShutdownDeadlines}.
 */
@Component
public class ShutdownClock implements ApplicationListener<ContextClosedEvent> {

    private static final Logger log = LoggerFactory.getLogger(ShutdownClock.class);

    private final ShutdownBudget budget;
    private final AtomicReference<ShutdownDeadlines> deadlines = new AtomicReference<>();

    public ShutdownClock(ShutdownBudget budget) {
        this.budget = budget;
    }

    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        if (deadlines.compareAndSet(null, budget.startingAt(System.nanoTime()))) {
            log.info("Shutdown started: budget {}", budget);
        }
    }

    /** The deadlines of the shutdown under way; starts one now if none has been marked (a stop without close). */
    public ShutdownDeadlines deadlines() {
        deadlines.compareAndSet(null, budget.startingAt(System.nanoTime()));
        return deadlines.get();
    }
}

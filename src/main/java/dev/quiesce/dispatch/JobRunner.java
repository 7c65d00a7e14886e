package dev.quiesce.dispatch;

import java.util.Set;
import java.util.function.Function;

/** Where claimed jobs run: this JVM's threads, or the child JVMs. The dispatcher claims per runner. */
interface JobRunner {

    /** The {@code runner} tag value: {@code thread} or {@code child}. */
    String name();

    /** The job types routed to this runner. */
    Set<String> types();

    /** How many jobs it can start right now; the dispatcher never claims more. */
    int free();

    /** How many of its jobs run now. */
    int inFlight();

    /** Starts the execution; its end is reported to the dispatcher exactly once. */
    void start(Execution execution);

    /**
     * The job was handed back at the cancel deadline while still running here: stop spending anything on
     * it (a child is killed with its tree; a thread cannot be, and is only abandoned).
     */
    void abandon(Execution execution);

    /**
     * Lets the runner take its next job itself as one ends, without waiting for the dispatcher loop: {@code next}
     * returns a started execution taken from this runner's backlog, or null. Runners that cannot (a child needs
     * the loop to hand it a task) ignore it.
     */
    default void takeNextFrom(Function<JobRunner, Execution> next) {
    }

    /** Stops accepting work; does not wait. */
    void shutdown();
}

package dev.quiesce.child;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The pool's children, the launches on their way, and whether the pool runs and is stopping. Its monitor is
 * the pool's one lock: every part of the pool (starter, supervisor, recycler, tasks, killer, termination) calls a
 * child's {@link ChildLifecycle} transitions, or changes this list or the pending launches, only while holding
 * it, so no part ever sees another's change half made. Reading the two flags needs no lock; setting {@code stopping} takes it, so a launch or a
 * task that started under the lock is ordered before the stop.
 */
final class ChildRoster {

    private final List<ChildProcess> children = new ArrayList<>();
    private int pendingStarts;
    private volatile boolean running;
    private volatile boolean stopping;

    boolean isRunning() {
        return running;
    }

    boolean isStopping() {
        return stopping;
    }

    /** Running and not stopping: children may be started and given tasks. */
    boolean isOpen() {
        return running && !stopping;
    }

    void running(boolean running) {
        this.running = running;
    }

    /** From now on nothing is started and no task is taken. */
    synchronized void stopping() {
        stopping = true;
    }

    synchronized void add(ChildProcess child) {
        children.add(child);
    }

    synchronized void remove(ChildProcess child) {
        children.remove(child);
    }

    synchronized int count(ChildState state) {
        return (int) children.stream().filter(c -> c.lifecycle.state() == state).count();
    }

    /** The idle child for the next task: one due for retirement only if no other is idle. */
    synchronized Optional<ChildProcess> nextIdle() {
        return children.stream().filter(c -> c.lifecycle.state() == ChildState.IDLE)
                .min(Comparator.comparing((ChildProcess c) -> c.lifecycle.isDue()));
    }

    /** The first child due for retirement whose replacement is not ready yet. */
    synchronized Optional<ChildProcess> dueWithoutReplacement() {
        return children.stream().filter(c -> c.lifecycle.awaitsReplacement()).findFirst();
    }

    /** Children serving and staying, plus launches on their way: what counts toward the pool's size. */
    synchronized long servingOrStarting() {
        return children.stream().filter(c -> c.lifecycle.countsTowardSize()).count() + pendingStarts;
    }

    synchronized void launchPending() {
        pendingStarts++;
    }

    synchronized void launchDone() {
        pendingStarts--;
    }

    /** Marks every child retiring (termination takes them over) and hands them over. */
    synchronized List<ChildProcess> retireAll() {
        children.forEach(c -> c.lifecycle.retireForStop());
        return List.copyOf(children);
    }

    synchronized List<ChildView> views() {
        return children.stream().map(ChildProcess::view).sorted(Comparator.comparingInt(ChildView::id)).toList();
    }
}

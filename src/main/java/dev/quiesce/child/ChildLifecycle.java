package dev.quiesce.child;

import java.util.Objects;

/**
 * The one owner of a child's life as the pool sees it: its {@link ChildState}, the task it runs, whether it is
 * due for retirement and its replacement ready, why it broke and whether the pool killed it. Every change is a
 * named transition. A transition the pool has no business making in the current state throws
 * {@link IllegalStateException} rather than corrupting the state. What the child itself reports (its Hello, a
 * Result) may come late or unasked: those transitions say so in their return value and change nothing, because a
 * misbehaving child must never throw on the reader thread that still has to report its exit.
 * <p>
 * Not thread-safe: callers hold the pool's one lock, the {@link ChildRoster}'s monitor.
 */
final class ChildLifecycle {

    /**
     * How a child ended and what starts in its place: {@code replacement} is {@link StartReason#CRASH} for a crash
     * (after a back-off), else the reason to start one at once. {@code task} is the task it still ran, if any.
     */
    record Ending(ChildExit how, StartReason replacement, boolean wasRetiring, TaskRun task, String failure) {

        /** What the child was doing when it ended, for the log. */
        String doing() {
            return task != null ? "busy" : wasRetiring ? "retiring" : "idle";
        }
    }

    private ChildState state = ChildState.STARTING;
    private TaskRun task;
    private boolean retireDue;
    private boolean replacementReady;
    private String failure;
    /** Non-null once the pool decided to kill the child: what replaces it. */
    private StartReason killedFor;

    ChildState state() {
        return state;
    }

    boolean isDue() {
        return retireDue;
    }

    /** Due for retirement and its replacement not ready yet. */
    boolean awaitsReplacement() {
        return retireDue && !replacementReady;
    }

    /** Idle, due and replaced: recycling may retire it now. */
    boolean mayRetire() {
        return state == ChildState.IDLE && retireDue && replacementReady;
    }

    /** Neither due nor retiring: it counts toward the pool's size (a starting child included). */
    boolean countsTowardSize() {
        return !retireDue && state != ChildState.RETIRING;
    }

    /** The protocol error that broke the child, else null. */
    String failure() {
        return failure;
    }

    /**
     * Its Hello frame: STARTING → IDLE. False, and nothing changes, if the pool began stopping first (the child is
     * already retiring) or the Hello is a repeat.
     */
    boolean ready() {
        requireAlive("become ready");
        if (state != ChildState.STARTING) {
            return false;
        }
        state = ChildState.IDLE;
        return true;
    }

    /** IDLE → BUSY with {@code run}. */
    void assign(TaskRun run) {
        require(state == ChildState.IDLE, "take a task");
        task = Objects.requireNonNull(run, "run");
        state = ChildState.BUSY;
    }

    /**
     * A Result frame (with its Stats) arrived: the task it ended, and BUSY → IDLE. A child the pool began
     * stopping while it ran stays retiring; a Result nobody asked for returns null and changes nothing.
     */
    TaskRun taskEnded() {
        requireAlive("end a task");
        TaskRun run = task;
        task = null;
        if (state == ChildState.BUSY) {
            state = ChildState.IDLE;
        }
        return run;
    }

    /** Spent (max tasks or max RSS): due for retirement once a replacement is ready. Only after a task, when idle. */
    void markDue() {
        require(state == ChildState.IDLE && !retireDue, "become due for retirement");
        retireDue = true;
    }

    /** The replacement of a due child is ready; an idle child may now retire, a busy one after its task. */
    void replacementReady() {
        require(awaitsReplacement() && (state == ChildState.IDLE || state == ChildState.BUSY), "take a replacement");
        replacementReady = true;
    }

    /** Recycling: IDLE → RETIRING, only once due and replaced, so capacity never dips. */
    void retire() {
        require(mayRetire(), "retire");
        state = ChildState.RETIRING;
    }

    /** The pool is stopping: whatever it is doing, the child is retiring; termination takes it over. */
    void retireForStop() {
        requireAlive("retire for the stop");
        state = ChildState.RETIRING;
    }

    /** It broke the protocol and is about to be killed; its exit counts as a crash and {@code reason} is its error. */
    void broke(String reason) {
        requireAlive("break");
        require(failure == null, "break twice");
        failure = Objects.requireNonNull(reason, "reason");
    }

    /**
     * The pool kills it (a task's timeout or a kill request): its exit counts as {@link ChildExit#KILLED} and
     * {@code replaceWith} starts at once. The first kill wins; a child whose exit was already counted keeps it,
     * since a kill can race the exit it causes.
     */
    void markKilled(StartReason replaceWith) {
        Objects.requireNonNull(replaceWith, "replaceWith");
        if (state != ChildState.EXITED && killedFor == null) {
            killedFor = replaceWith;
        }
    }

    /**
     * Its process is gone: any state → EXITED, and how that counts. Killed by the pool: KILLED. Retiring, exit
     * code 0 and no protocol error: GRACEFUL, replaced as a recycle. Anything else: CRASHED.
     */
    Ending exited(int exitCode) {
        requireAlive("exit");
        boolean retiring = state == ChildState.RETIRING;
        Ending ending;
        if (killedFor != null) {
            ending = new Ending(ChildExit.KILLED, killedFor, retiring, task, failure);
        } else if (retiring && exitCode == 0 && failure == null) {
            ending = new Ending(ChildExit.GRACEFUL, StartReason.RECYCLE, true, task, null);
        } else {
            ending = new Ending(ChildExit.CRASHED, StartReason.CRASH, retiring, task, failure);
        }
        state = ChildState.EXITED;
        task = null;
        return ending;
    }

    private void requireAlive(String transition) {
        require(state != ChildState.EXITED, transition);
    }

    private void require(boolean legal, String transition) {
        if (!legal) {
            throw new IllegalStateException("a child cannot " + transition + " when " + describe());
        }
    }

    private String describe() {
        return state.tag() + (task != null ? " with job " + task.jobId() : "") + (retireDue ? ", due" : "")
                + (replacementReady ? ", replacement ready" : "") + (failure != null ? ", broken" : "")
                + (killedFor != null ? ", killed" : "");
    }
}

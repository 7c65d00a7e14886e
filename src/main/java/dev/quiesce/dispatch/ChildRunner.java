package dev.quiesce.dispatch;

import dev.quiesce.child.worker.Frame;

import dev.quiesce.child.ChildPool;
import dev.quiesce.child.ChildTaskHandle;
import dev.quiesce.child.ChildTaskOutcome;
import dev.quiesce.child.ChildTaskRequest;
import dev.quiesce.queue.JobQueue.Outcome;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** Runs jobs in the child JVMs of the {@link ChildPool}, one task per idle child. */
final class ChildRunner implements JobRunner {

    private final ChildPool pool;
    private final Set<String> types;
    private final Consumer<Finished> onFinished;
    private final Map<Long, ChildTaskHandle> handles = new ConcurrentHashMap<>();

    ChildRunner(ChildPool pool, Set<String> types, Consumer<Finished> onFinished) {
        this.pool = pool;
        this.types = Set.copyOf(types);
        this.onFinished = onFinished;
    }

    @Override
    public String name() {
        return "child";
    }

    @Override
    public Set<String> types() {
        return types;
    }

    @Override
    public int free() {
        return types.isEmpty() ? 0 : pool.idle();
    }

    @Override
    public int inFlight() {
        return handles.size();
    }

    @Override
    public void start(Execution execution) {
        ChildTaskRequest request = new ChildTaskRequest(execution.id(), execution.job().attempts(),
                execution.job().type(), execution.job().payload());
        ChildTaskHandle handle;
        try {
            handle = pool.run(request, outcome -> ended(execution, outcome));
        } catch (IllegalStateException noIdleChild) {
            // The idle child crashed between the count and the claim: hand the job back, it is not its fault.
            onFinished.accept(new Finished(execution, new Outcome.Released(execution.id()), 0));
            return;
        }
        handles.put(execution.id(), handle);
        execution.where("child pid " + handle.pid());
        execution.cancelledBy(handle::cancel);
    }

    @Override
    public void abandon(Execution execution) {
        ChildTaskHandle handle = handles.remove(execution.id());
        if (handle != null) {
            handle.kill();
        }
    }

    @Override
    public void shutdown() {
        // The child pool stops in its own, later phase (ShutdownPhases.CHILDREN).
    }

    private void ended(Execution execution, ChildTaskOutcome outcome) {
        handles.remove(execution.id());
        long nanos = System.nanoTime() - execution.startNanos();
        Outcome written = outcomeOf(execution, outcome);
        AttemptLog.started(execution);
        AttemptLog.ended(execution, written);
        onFinished.accept(new Finished(execution, written, nanos));
    }

    /** A child's failure text is its summary line, then (after {@link ChildFailure#TRACE_SEPARATOR}) its stack trace. */
    private static Outcome.Failed failed(long id, String text) {
        int at = text.indexOf(Frame.Result.TRACE_SEPARATOR);
        return at < 0 ? new Outcome.Failed(id, text, true)
                : new Outcome.Failed(id, text.substring(0, at), true, text.substring(at + Frame.Result.TRACE_SEPARATOR.length()));
    }

    private static Outcome outcomeOf(Execution execution, ChildTaskOutcome outcome) {
        long id = execution.id();
        return switch (outcome.kind()) {
            case SUCCEEDED -> new Outcome.Succeeded(id, outcome.text());
            case FAILED -> execution.failed(failed(id, outcome.text()));
            case TIMED_OUT -> execution.failed(new Outcome.Failed(id, "timeout: " + outcome.text(), true));
            // A crash while shutting down is the shutdown's doing (the child was stopped under the task).
            case CRASHED -> execution.cancelReason() == CancelReason.SHUTDOWN
                    ? new Outcome.Released(id) : execution.failed(new Outcome.Crashed(id, outcome.text()));
            case KILLED -> execution.failed(new Outcome.Released(id));
        };
    }
}

package dev.quiesce.child;

import dev.quiesce.child.ChildTaskOutcome.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One task on one child, from the Task frame to its single outcome. {@link #end} delivers the outcome exactly
 * once, whoever gets there first: the Result frame, the child's death, the timeout or a kill.
 */
final class TaskRun implements ChildTaskHandle {

    private static final Logger log = LoggerFactory.getLogger(TaskRun.class);

    final ChildTaskRequest request;
    final ChildProcess child;
    private final Consumer<ChildTaskOutcome> onEnd;
    private final ChildTasks tasks;
    private final AtomicBoolean ended = new AtomicBoolean();
    volatile boolean timedOut;
    volatile Future<?> timeout;

    TaskRun(ChildTaskRequest request, ChildProcess child, Consumer<ChildTaskOutcome> onEnd, ChildTasks tasks) {
        this.request = request;
        this.child = child;
        this.onEnd = onEnd;
        this.tasks = tasks;
    }

    @Override
    public long jobId() {
        return request.jobId();
    }

    @Override
    public long pid() {
        return child.pid;
    }

    @Override
    public void cancel() {
        if (!ended.get()) {
            child.send(new dev.quiesce.child.worker.Frame.Cancel(request.jobId()));
        }
    }

    @Override
    public void kill() {
        tasks.kill(this);
    }

    boolean hasEnded() {
        return ended.get();
    }

    /** Delivers the outcome if none was yet; true if this call did. */
    boolean end(Kind kind, String text) {
        if (!ended.compareAndSet(false, true)) {
            return false;
        }
        Future<?> pending = timeout;
        if (pending != null) {
            pending.cancel(false);
        }
        try {
            onEnd.accept(new ChildTaskOutcome(kind, text));
        } catch (RuntimeException e) {
            // The callback's failure is the caller's bug; it must not take down the pool thread that reports it.
            log.error("onEnd of job {} threw", request.jobId(), e);
        }
        return true;
    }
}

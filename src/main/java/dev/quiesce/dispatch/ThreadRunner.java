package dev.quiesce.dispatch;

import dev.quiesce.api.JobHandler;
import dev.quiesce.job.JobHandlers;
import dev.quiesce.job.PayloadBinder;
import dev.quiesce.api.NonRetryableJobException;
import dev.quiesce.leak.Leaks;
import dev.quiesce.queue.JobQueue.Outcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs executions on a fixed pool of daemon threads. The pool is private to the dispatcher — not a Spring
 * bean — so Spring's early executor shutdown can never race the drain; the dispatcher only submits when a
 * thread is free, so the pool's queue never holds a backlog.
 */
final class ThreadRunner implements JobRunner {

    private final ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
    private final int threads;
    private final JobHandlers handlers;
    private final PayloadBinder binder;
    private final Path scratchRoot;
    private final Consumer<Finished> onFinished;
    private final Set<String> types;
    private final AtomicInteger busy = new AtomicInteger();
    private final JobThreads jobThreads;
    private final Leaks leaks;
    private volatile Function<JobRunner, Execution> next = runner -> null;

    ThreadRunner(int threads, Set<String> types, JobHandlers handlers, PayloadBinder binder, Path scratchRoot,
                 Consumer<Finished> onFinished, Leaks leaks) {
        this.leaks = leaks;
        this.jobThreads = new JobThreads(leaks);
        this.threads = threads;
        this.types = Set.copyOf(types);
        this.handlers = handlers;
        this.binder = binder;
        this.scratchRoot = scratchRoot;
        this.onFinished = onFinished;
        executor.setCorePoolSize(threads);
        executor.setMaxPoolSize(threads);
        executor.setThreadFactory(jobThreads);
        executor.setWaitForTasksToCompleteOnShutdown(false);
        executor.initialize();
    }

    void bindMetrics(MeterRegistry registry) {
        new ExecutorServiceMetrics(executor.getThreadPoolExecutor(), "quiesce.jobs", Tags.empty()).bindTo(registry);
    }

    @Override
    public String name() {
        return "thread";
    }

    @Override
    public Set<String> types() {
        return types;
    }

    /** Counts a thread busy from submission until its execution has been reported, so it is never handed out twice. */
    @Override
    public int free() {
        return threads - busy.get();
    }

    @Override
    public int inFlight() {
        return busy.get();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void start(Execution execution) {
        busy.incrementAndGet();
        executor.execute(() -> runFrom(execution));
    }

    @Override
    public void takeNextFrom(Function<JobRunner, Execution> next) {
        this.next = next;
    }

    /**
     * Runs {@code first}, then the jobs claimed for this runner after it, on this thread, until there is none. The
     * next job is taken before the last one is reported, so the thread's slot is never seen free in between.
     */
    private void runFrom(Execution first) {
        Execution execution = first;
        while (execution != null) {
            Finished done = run(execution);
            Execution following = next.apply(this);
            if (following == null) {
                busy.decrementAndGet();
            }
            onFinished.accept(done);
            execution = following;
        }
    }

    /** A thread cannot be killed safely; it is left to end on its own, its result ignored. */
    @Override
    public void abandon(Execution execution) {
    }

    /** Stops the pool without waiting: by now every execution has ended or has been released and abandoned. */
    @Override
    public void shutdown() {
        executor.getThreadPoolExecutor().shutdownNow();
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private Finished run(Execution execution) {
        execution.runningOn(Thread.currentThread());
        execution.where("thread " + Thread.currentThread().getName());
        ExecutionContext context = new ExecutionContext(execution, scratchRoot, leaks);
        Outcome outcome = null;
        AttemptLog.started(execution);
        try {
            String type = execution.job().type();
            JobHandler handler = handlers.find(type)
                    .orElseThrow(() -> new NonRetryableJobException("no handler for type '" + type + "'"));
            outcome = new Outcome.Succeeded(execution.id(), handler.run(payload(type, execution), context));
        } catch (Throwable failure) {
            outcome = whenFailed(execution, failure);
        } finally {
            execution.finishedRunning();
            // The interrupt, if any, was meant for this job: the next job on this thread starts clean.
            Thread.interrupted();
            context.cleanUp();
            jobThreads.afterJob(execution);
            AttemptLog.ended(execution, outcome);
        }
        return new Finished(execution, outcome, System.nanoTime() - execution.startNanos());
    }

    /**
     * The stored payload, bound as at enqueue time. One that no longer binds (stored before its type's payload
     * changed) cannot succeed on a retry.
     */
    private Object payload(String type, Execution execution) {
        try {
            return binder.bind(type, handlers.payloadType(type), execution.job().payload());
        } catch (IllegalArgumentException e) {
            throw new NonRetryableJobException("the stored payload no longer fits the '" + type + "' handler: " + e.getMessage(), e);
        }
    }

    private static Outcome whenFailed(Execution execution, Throwable failure) {
        boolean retryable = !(failure instanceof NonRetryableJobException) && !(failure instanceof CancellationException);
        return execution.failed(new Outcome.Failed(execution.id(), describe(failure), retryable, AttemptLog.trace(failure)));
    }

    static String describe(Throwable failure) {
        String message = failure.getMessage();
        String text = failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        return text.length() > 2000 ? text.substring(0, 2000) : text;
    }
}

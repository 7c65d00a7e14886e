package dev.quiesce.dispatch;

import dev.quiesce.instance.InstanceIdentity;
import dev.quiesce.job.Job;
import dev.quiesce.leak.Leaks;
import dev.quiesce.queue.JobCancelRequested;
import dev.quiesce.queue.JobQueue;
import dev.quiesce.queue.JobQueue.Outcome;
import dev.quiesce.queue.JobQueue.Settlement;
import dev.quiesce.queue.JobsEnqueued;
import dev.quiesce.queue.QueueProperties;
import dev.quiesce.queue.WorkerRegistry;
import dev.quiesce.queue.WorkerRegistry.InstanceState;
import dev.quiesce.shutdown.JobsAtShutdown;
import dev.quiesce.shutdown.ShutdownClock;
import dev.quiesce.shutdown.ShutdownPhases;
import dev.quiesce.shutdown.ShutdownReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;


import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Moves jobs from the queue to the runner and back. One loop thread claims only what a free thread can
 * start now (there is no local backlog to lose), writes outcomes in batches, heartbeats leases and reclaims
 * the jobs of dead owners. On stop it quiets, drains until the drain deadline, cancels, waits the cancel
 * grace, then releases what still runs — handing a job back before giving up on its thread, because it is
 * worse to lose a job than to run it twice.
 */
public class JobDispatcher implements SmartLifecycle, JobsAtShutdown {

    private static final Logger log = LoggerFactory.getLogger(JobDispatcher.class);
    private static final long ERROR_BACKOFF_NANOS = 500_000_000L;

    private final JobQueue queue;
    private final InstanceIdentity identity;
    private final LeaseKeeper leases;
    private final List<JobRunner> runners;
    private final Inbox inbox;
    private final JobMetrics metrics;
    private final ShutdownClock shutdownClock;
    private final long pollNanos;
    private final long heartbeatNanos;

    private final Map<Long, Execution> running = new ConcurrentHashMap<>();
    private final Settler settler;
    /** Per runner: whether its types may have ready jobs (set by enqueues and full claims, cleared by short ones). */
    private final Map<String, AtomicBoolean> workHints = new ConcurrentHashMap<>();
    private volatile InstanceState state;
    private volatile StopRequest stopRequest;
    private volatile DrainResult lastDrain;
    private Thread loopThread;

    JobDispatcher(JobQueue queue, WorkerRegistry workers, InstanceIdentity identity, List<JobRunner> runners, Inbox inbox,
                  JobMetrics metrics, ShutdownClock shutdownClock, WorkerProperties worker, QueueProperties queueProperties,
                  Leaks leaks) {
        this.queue = queue;
        this.identity = identity;
        this.runners = List.copyOf(runners);
        runners.forEach(runner -> workHints.put(runner.name(), new AtomicBoolean(true)));
        this.inbox = inbox;
        this.metrics = metrics;
        this.shutdownClock = shutdownClock;
        this.pollNanos = worker.pollInterval().toNanos();
        this.heartbeatNanos = queueProperties.heartbeat().toNanos();
        this.leases = new LeaseKeeper(queue, workers, identity, metrics, queueProperties, leaks);
        this.settler = new Settler(queue, identity.id(), this::count, inbox::wake);
    }

    @Override
    public int getPhase() {
        return ShutdownPhases.DISPATCH;
    }

    @Override
    public void start() {
        leases.register();
        state = InstanceState.RUNNING;
        settler.start();
        loopThread = Thread.ofPlatform().name("quiesce-dispatcher").daemon(true).start(this::loop);
        for (JobRunner runner : runners) {
            log.info("Dispatcher {}: {} runner takes {}", identity.id(), runner.name(), runner.types());
        }
    }

    /** Plain stop cannot drain within a deadline; Spring calls {@link #stop(Runnable)}. */
    @Override
    public void stop() {
        throw new UnsupportedOperationException("Stop must be asynchronous: call stop(Runnable)");
    }

    /** Initiates the drain and returns at once; the loop thread runs the callback when the drain is over. */
    @Override
    public void stop(Runnable callback) {
        StopRequest request = new StopRequest(callback, shutdownClock.deadlines(), running.size());
        state = InstanceState.DRAINING;
        stopRequest = request;
        log.info("Draining {} running job(s); cancelling at the drain deadline in {} ms",
                request.runningAtStart, request.deadlines.drainEnds().remaining().toMillis());
        if (loopThread == null || !loopThread.isAlive()) {
            finish(request);
        } else {
            Thread.ofVirtual().name("quiesce-dispatch-deadline").start(() -> guard(request));
        }
        inbox.wake();
    }

    @Override
    public boolean isRunning() {
        InstanceState current = state;
        return current != null && current != InstanceState.STOPPED;
    }

    /** Stops claiming without stopping: running jobs go on, new ones wait in the queue. Idempotent. */
    public InstanceState quiet() {
        if (state == InstanceState.RUNNING) {
            state = InstanceState.QUIET;
            log.info("Quiet: no longer claiming jobs");
        }
        return state;
    }

    /** Claims again after {@link #quiet()}. Idempotent; does nothing while stopping. */
    public InstanceState resume() {
        if (state == InstanceState.QUIET) {
            state = InstanceState.RUNNING;
            hintWork();
            inbox.wake();
            log.info("Resumed claiming jobs");
        }
        return state;
    }

    public InstanceState state() {
        InstanceState current = state;
        return current == null ? InstanceState.STOPPED : current;
    }

    public int inFlight() {
        return running.size();
    }

    /** The jobs running here now, longest-running first: a snapshot for the actuator. */
    public List<InFlightJob> inFlightJobs() {
        long now = System.nanoTime();
        return running.values().stream()
                .sorted(Comparator.comparingLong(Execution::startNanos).thenComparingLong(Execution::id))
                .map(execution -> new InFlightJob(execution.id(), execution.job().type(), execution.runner().name(),
                        execution.job().attempts(), Duration.ofNanos(now - execution.startNanos()), execution.progress()))
                .toList();
    }

    /** How many jobs each runner runs now, every runner present. */
    public Map<String, Integer> inFlightByRunner() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        runners.forEach(runner -> counts.put(runner.name(), runner.inFlight()));
        return counts;
    }

    /** The outcome of the last stop, or null before one. */
    public DrainResult lastDrain() {
        return lastDrain;
    }

    @Override
    public ShutdownReport.Jobs jobsAtShutdown() {
        DrainResult drain = lastDrain;
        return drain == null ? ShutdownReport.Jobs.NONE
                : new ShutdownReport.Jobs(drain.drained(), drain.cancelled(), drain.released(), drain.abandoned(),
                drain.unreleased(), drain.unwritten());
    }

    @EventListener
    void onEnqueued(JobsEnqueued event) {
        hintWork();
        inbox.wake();
    }

    @EventListener
    void onCancelRequested(JobCancelRequested event) {
        Execution execution = running.get(event.jobId());
        if (execution != null && execution.cancel(CancelReason.CLIENT)) {
            log.info("Cancelling job {} at a client's request", event.jobId());
        }
    }

    private void hintWork() {
        workHints.values().forEach(hint -> hint.set(true));
    }

    /**
     * Ends the stop at its last deadline if the loop has not: the loop may be stuck in a database call that does
     * not answer (an outage, a partition), and the phase must end inside the budget all the same.
     */
    private void guard(StopRequest stop) {
        try {
            Thread.sleep(stop.flushEnds().remaining());
        } catch (InterruptedException e) {
            // Nobody interrupts this thread but the JVM going down: end the stop now rather than leave Spring waiting.
            Thread.currentThread().interrupt();
        }
        if (stop.end()) {
            log.warn("The dispatcher loop did not end the stop by its deadline (a database call that does not answer?);"
                    + " ending it without the loop");
            giveUp(stop);
        } else if (stop.completeOnce()) {
            log.warn("Marking this instance STOPPED did not finish by the stop's deadline (is the database reachable?);"
                    + " other instances will take its silent heartbeat for a crash and reclaim what it still holds");
            stop.callback.run();
        }
    }

    private void loop() {
        long nextPoll = System.nanoTime();
        long nextHeartbeat = nextPoll + heartbeatNanos;
        long notBefore = 0;
        while (true) {
            long now = System.nanoTime();
            try {
                collectFinished();
                StopRequest stop = stopRequest;
                if (stop != null) {
                    if (stop.hasEnded() || advanceStop(stop)) {
                        return;
                    }
                } else if (now - notBefore >= 0 && state == InstanceState.RUNNING) {
                    boolean pollDue = now - nextPoll >= 0;
                    if (claim(pollDue)) {
                        nextPoll = now + pollNanos;
                    }
                }
                if (now - nextHeartbeat >= 0) {
                    nextHeartbeat = now + heartbeatNanos;
                    heartbeat();
                }
            } catch (RuntimeException e) {
                // The database is unreachable or failing: keep the in-flight jobs, retry their outcomes later.
                log.warn("Dispatcher cycle failed, retrying in {} ms: {}", ERROR_BACKOFF_NANOS / 1_000_000, e.toString());
                notBefore = now + ERROR_BACKOFF_NANOS;
            }
            long wakeAt = Math.min(Math.max(nextPoll, notBefore), nextHeartbeat);
            StopRequest stop = stopRequest;
            if (stop != null) {
                wakeAt = Math.min(nextHeartbeat, stop.nextDeadlineNanos());
            }
            try {
                inbox.await(wakeAt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                log.warn("Dispatcher loop interrupted; releasing what runs");
                StopRequest request = stopRequest != null ? stopRequest : new StopRequest(() -> { }, shutdownClock.deadlines(), running.size());
                collectFinished();
                releaseStragglers(request);
                finish(request);
                return;
            }
        }
    }

    /**
     * Claims, for each runner, as many jobs as it can start now — if there may be work of its types: a claim
     * that came back short means there is none until something is enqueued or the poll interval passes (so a
     * runner whose types have no backlog does not query the queue on every cycle). True if the poll was due.
     */
    private boolean claim(boolean pollDue) {
        for (JobRunner runner : runners) {
            int free = runner.free();
            if (runner.types().isEmpty() || free <= 0) {
                continue;
            }
            AtomicBoolean hint = workHints.get(runner.name());
            if (!(hint.getAndSet(false) || pollDue)) {
                continue;
            }
            long claimStart = System.nanoTime();
            List<Job> jobs = queue.claim(identity.id(), free, runner.types());
            metrics.claimTook(System.nanoTime() - claimStart);
            StopRequest stop = stopRequest;
            if (stop != null) {
                // The stop began while this claim waited for the database: these jobs must not start.
                handBack(stop, runner, jobs);
                return pollDue;
            }
            if (jobs.size() == free) {
                // There may be more: look again as soon as this runner frees up.
                hint.set(true);
            }
            for (Job job : jobs) {
                Execution execution = new Execution(job, runner);
                running.put(job.id(), execution);
                runner.start(execution);
            }
            metrics.claimed(runner.name(), jobs.size());
        }
        return pollDue;
    }

    /** Releases jobs claimed but never started, counted as released by the stop (if it has not ended yet). */
    private void handBack(StopRequest stop, JobRunner runner, List<Job> jobs) {
        if (!jobs.isEmpty()) {
            log.info("Handing back {} job(s) the {} runner claimed as the stop began", jobs.size(), runner.name());
            release(stop, jobs);
        }
    }

    /** Frees the runners' slots of finished executions and hands their outcomes to the settler. */
    private void collectFinished() {
        for (Finished done; (done = inbox.poll()) != null; ) {
            running.remove(done.execution().id(), done.execution());
            if (!done.execution().isAbandoned() && done.outcome() != null) {
                settler.submit(done);
            }
        }
    }

    /** Counts one written outcome; runs on the settler's thread. */
    private void count(Finished done, Settlement settlement) {
        if (settlement.fenced()) {
            log.warn("Discarded the outcome of job {}: this instance no longer holds its lease", settlement.outcome().id());
        }
        metrics.settled(done.execution().job().type(), settlement, done.nanos());
        StopRequest stop = stopRequest;
        if (stop != null && !stop.hasEnded() && !settlement.fenced()) {
            (settlement.outcome() instanceof Outcome.Released ? stop.released : stop.drained).incrementAndGet();
        }
    }

    private void heartbeat() {
        // Finished jobs whose outcome is not written yet are still ours: their leases must hold until it is.
        Set<Long> held = new HashSet<>(running.keySet());
        held.addAll(settler.pendingIds());
        leases.beat(state(), held, running);
    }

    /** One step of the stop; true once it is over and the callback has run. */
    private boolean advanceStop(StopRequest stop) {
        if (running.isEmpty() && inbox.isEmpty() && settler.isIdle()) {
            finish(stop);
            return true;
        }
        if (!stop.cancelSent && stop.deadlines.drainEnds().hasPassed()) {
            stop.cancelSent = true;
            for (Execution execution : running.values()) {
                if (execution.cancel(CancelReason.SHUTDOWN)) {
                    stop.cancelled.incrementAndGet();
                }
            }
            log.warn("Drain deadline reached: cancelled {} job(s) still running {}", stop.cancelled.get(), running.keySet());
        }
        if (stop.deadlines.cancelEnds().hasPassed() && !running.isEmpty()) {
            releaseStragglers(stop);
        }
        if (stop.flushEnds().hasPassed()) {
            finish(stop);
            return true;
        }
        return false;
    }

    /**
     * Hands back every job still running after the cancel grace, before giving up on its thread: worse to
     * lose a job than to run it twice. The threads are abandoned (named in the log); their results are ignored.
     */
    private void releaseStragglers(StopRequest stop) {
        List<Execution> stragglers = List.copyOf(running.values());
        for (Execution execution : stragglers) {
            execution.abandon();
            execution.runner().abandon(execution);
            Thread thread = execution.thread();
            log.warn("Job {} ({}) ignored cancellation on {}: releasing it and abandoning its {}",
                    execution.id(), execution.job().type(), thread == null ? execution.runner().name() : "thread " + thread.getName(),
                    execution.runner().name());
        }
        stop.abandoned.addAndGet(stragglers.size());
        running.clear();
        release(stop, stragglers.stream().map(Execution::job).toList());
    }

    /**
     * Hands {@code jobs} back to the queue and counts them in the stop: released, or not released if the database
     * refuses. While the call waits they count as {@link StopRequest#releasing releasing}, so a stop the guard ends
     * meanwhile still reports them; an answer after that is only logged.
     */
    private void release(StopRequest stop, List<Job> jobs) {
        List<Outcome> releases = jobs.stream().<Outcome>map(job -> new Outcome.Released(job.id())).toList();
        stop.releasing.addAndGet(releases.size());
        try {
            List<Settlement> settlements = queue.settle(identity.id(), releases);
            for (int i = 0; i < settlements.size(); i++) {
                metrics.settled(jobs.get(i).type(), settlements.get(i), 0);
                if (!settlements.get(i).fenced() && !stop.hasEnded()) {
                    stop.released.incrementAndGet();
                }
            }
            if (stop.hasEnded()) {
                log.info("Released {} job(s) after the stop was reported (the database answered late)", releases.size());
            }
        } catch (RuntimeException e) {
            if (!stop.hasEnded()) {
                stop.unreleased.addAndGet(releases.size());
            }
            log.error("Could not release {} job(s) ({}); they return to the queue when their lease expires",
                    releases.size(), e.toString());
        } finally {
            stop.releasing.addAndGet(-releases.size());
        }
    }

    /**
     * Ends a stop the loop could not end in time: whatever still runs is cancelled and left leased (its lease
     * expires, and it runs again), outcomes not yet written are counted as such, and no database call is made —
     * the database is most likely why the loop is stuck.
     */
    private void giveUp(StopRequest stop) {
        for (Finished done; (done = inbox.poll()) != null; ) {
            running.remove(done.execution().id(), done.execution());
            if (!done.execution().isAbandoned() && done.outcome() != null) {
                stop.unwritten.incrementAndGet();
            }
        }
        List<Execution> stillRunning = List.copyOf(running.values());
        for (Execution execution : stillRunning) {
            execution.cancel(CancelReason.SHUTDOWN);
            execution.abandon();
            execution.runner().abandon(execution);
        }
        running.clear();
        stop.unreleased.addAndGet(stillRunning.size() + stop.releasing.get());
        if (!stillRunning.isEmpty()) {
            log.error("Left {} running job(s) leased and unreleased at the stop's deadline: {}", stillRunning.size(),
                    stillRunning.stream().map(Execution::id).toList());
        }
        conclude(stop, false);
    }

    /** Ends the stop from the loop: everything is written or counted as not. No-op if the guard ended it first. */
    private void finish(StopRequest stop) {
        if (stop.end()) {
            conclude(stop, true);
        }
    }

    /** The last steps of either ending: stop the runners and the settler, report, deregister, release Spring. */
    private void conclude(StopRequest stop, boolean databaseAnswers) {
        runners.forEach(JobRunner::shutdown);
        settler.stop();
        int unwritten = settler.outstanding();
        if (unwritten > 0) {
            stop.unwritten.addAndGet(unwritten);
        }
        if (stop.unwritten.get() > 0) {
            log.error("Could not write the outcomes of {} finished job(s) in time; they stay leased until their lease"
                    + " expires, then run again", stop.unwritten.get());
        }
        state = InstanceState.STOPPED;
        DrainResult result = stop.result();
        lastDrain = result;
        log.info("Dispatcher stopped after {} ms: {} drained, {} cancelled, {} released, {} abandoned, {} not released,"
                        + " {} outcome(s) not written", result.took().toMillis(), result.drained(), result.cancelled(),
                result.released(), result.abandoned(), result.unreleased(), result.unwritten());
        if (databaseAnswers) {
            // Bounded by the guard: if this hangs past the stop's deadline, the guard releases Spring.
            leases.deregister();
        }
        if (stop.completeOnce()) {
            stop.callback.run();
        }
    }
}

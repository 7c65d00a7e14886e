package dev.quiesce.dispatch;

import dev.quiesce.instance.InstanceIdentity;
import dev.quiesce.job.Job;
import dev.quiesce.leak.Leaks;
import dev.quiesce.queue.JobCancelRequested;
import dev.quiesce.queue.JobQueue;
import dev.quiesce.queue.JobsEnqueued;
import dev.quiesce.queue.QueueProperties;
import dev.quiesce.queue.WorkerRegistry;
import dev.quiesce.queue.WorkerRegistry.InstanceState;
import dev.quiesce.shutdown.Deadline;
import dev.quiesce.shutdown.JobsAtShutdown;
import dev.quiesce.shutdown.ShutdownClock;
import dev.quiesce.shutdown.ShutdownPhases;
import dev.quiesce.shutdown.ShutdownReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;


import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Moves jobs from the queue to the runners and back. The {@link QueueExchange} thread claims what the runners
 * can start, plus a small prefetch per runner, and writes outcomes, in one transaction per round; the loop
 * thread starts claimed jobs as runners free up, hands finished ones to the exchange, and heartbeats leases
 * (reclaiming the jobs of dead owners). A stop is a {@link Drain} on its own thread.
 */
public class JobDispatcher implements SmartLifecycle, JobsAtShutdown {

    private static final Logger log = LoggerFactory.getLogger(JobDispatcher.class);
    private static final long ERROR_BACKOFF_NANOS = 500_000_000L;
    /** A job claimed ahead that waited this long for a slot is handed back (see {@link Backlog#takeWaitingLongerThan}). */
    private static final long BACKLOG_STALE_NANOS = 1_000_000_000L;
    private static final long BACKLOG_CHECK_NANOS = 250_000_000L;

    private final InstanceIdentity identity;
    private final LeaseKeeper leases;
    private final List<JobRunner> runners;
    private final Map<JobRunner, Backlog> backlogs = new LinkedHashMap<>();
    private final Map<JobRunner, Prefetch> prefetches = new LinkedHashMap<>();
    private final Inbox inbox;
    private final JobMetrics metrics;
    private final ShutdownClock shutdownClock;
    private final long heartbeatNanos;

    private final Map<Long, Execution> running = new ConcurrentHashMap<>();
    private volatile boolean startQuiet;
    private final QueueExchange exchange;
    private volatile InstanceState state;
    private volatile DrainResult lastDrain;
    private volatile boolean loopEnds;
    private Thread loopThread;

    JobDispatcher(JobQueue queue, WorkerRegistry workers, InstanceIdentity identity, List<JobRunner> runners, Inbox inbox,
                  JobMetrics metrics, ShutdownClock shutdownClock, WorkerProperties worker, QueueProperties queueProperties,
                  Leaks leaks) {
        this.identity = identity;
        this.runners = List.copyOf(runners);
        this.inbox = inbox;
        this.metrics = metrics;
        this.shutdownClock = shutdownClock;
        this.heartbeatNanos = queueProperties.heartbeat().toNanos();
        this.leases = new LeaseKeeper(queue, workers, identity, metrics, queueProperties, leaks);
        List<QueueExchange.Taker> takers = new ArrayList<>();
        for (JobRunner runner : this.runners) {
            Backlog backlog = new Backlog();
            Prefetch prefetch = new Prefetch(worker.prefetch());
            backlogs.put(runner, backlog);
            prefetches.put(runner, prefetch);
            takers.add(new RunnerTaker(runner, backlog, prefetch));
        }
        for (JobRunner runner : this.runners) {
            runner.takeNextFrom(this::startNext);
        }
        inbox.receiveWith(this::finished);
        this.exchange = new QueueExchange(queue, identity.id(), takers, metrics::settled, inbox::wake,
                worker.pollInterval().toNanos(), metrics);
    }

    @Override
    public int getPhase() {
        return ShutdownPhases.DISPATCH;
    }

    @Override
    public void start() {
        leases.register();
        boolean quiet = startQuiet;
        state = quiet ? InstanceState.QUIET : InstanceState.RUNNING;
        exchange.start();
        exchange.claiming(!quiet);
        if (quiet) {
            log.info("Starting quiet: the fleet or this instance was ordered quiet");
        }
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

    /** Starts the drain on its own thread and returns at once; the callback runs when the drain is over. */
    @Override
    public void stop(Runnable callback) {
        state = InstanceState.DRAINING;
        Drain drain = new Drain(shutdownClock.deadlines(), running, backlogs.values(), exchange);
        Thread.ofPlatform().name("quiesce-drain").daemon(true).start(() -> {
            drain.run();
            conclude(drain);
            callback.run();
        });
    }

    @Override
    public boolean isRunning() {
        InstanceState current = state;
        return current != null && current != InstanceState.STOPPED;
    }

    /**
     * Stops claiming without stopping: running jobs go on, new ones wait in the queue, and jobs claimed here but
     * not started go back to it at once, for other instances to take. Idempotent.
     */
    public InstanceState quiet() {
        if (state == InstanceState.RUNNING) {
            state = InstanceState.QUIET;
            exchange.claiming(false);
            List<Job> unstarted = Backlog.closeAll(backlogs.values());
            exchange.returnUnstarted(unstarted);
            log.info("Quiet: no longer claiming jobs{}", unstarted.isEmpty() ? "" : "; handing back " + unstarted.size()
                    + " claimed job(s) that had not started");
        }
        return state;
    }

    /** Before {@link #start()}: start {@link #quiet()} (the fleet was ordered quiet), not claiming a single job. */
    public void startQuiet() {
        startQuiet = true;
    }

    /** Claims again after {@link #quiet()}. Idempotent; does nothing while stopping. */
    public InstanceState resume() {
        if (state == InstanceState.QUIET) {
            backlogs.values().forEach(Backlog::open);
            state = InstanceState.RUNNING;
            exchange.claiming(true);
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
        if (event.anyDue()) {
            exchange.hintWork();
        }
    }

    @EventListener
    void onCancelRequested(JobCancelRequested event) {
        Execution execution = running.get(event.jobId());
        if (execution != null && execution.cancel(CancelReason.CLIENT)) {
            log.info("Cancelling job {} at a client's request", event.jobId());
        }
    }

    private void loop() {
        long nextHeartbeat = System.nanoTime() + heartbeatNanos;
        while (!loopEnds) {
            startClaimed();
            handBackStale();
            long now = System.nanoTime();
            if (now - nextHeartbeat >= 0) {
                try {
                    heartbeat();
                    nextHeartbeat = now + heartbeatNanos;
                } catch (RuntimeException e) {
                    // The database is unreachable or failing: keep the in-flight jobs, beat again soon.
                    log.warn("Heartbeat failed, retrying in {} ms: {}", ERROR_BACKOFF_NANOS / 1_000_000, e.toString());
                    nextHeartbeat = now + ERROR_BACKOFF_NANOS;
                }
            }
            long wakeAt = nextHeartbeat;
            if (backlogs.values().stream().anyMatch(backlog -> !backlog.isEmpty())) {
                wakeAt = Math.min(wakeAt - now, BACKLOG_CHECK_NANOS) + now;
            }
            try {
                inbox.await(wakeAt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                log.warn("Dispatcher loop interrupted; it ends, the stop hands back what still runs");
                return;
            }
        }
    }

    /** An execution ended (on its runner's thread): its outcome goes to the exchange, unless it was abandoned or lost. */
    private void finished(Finished done) {
        running.remove(done.execution().id(), done.execution());
        prefetches.get(done.execution().runner()).observe(done.nanos());
        if (!done.execution().isAbandoned() && done.outcome() != null) {
            exchange.submit(done);
        }
    }

    /** Starts claimed jobs on every free slot. */
    private void startClaimed() {
        for (JobRunner runner : runners) {
            while (runner.free() > 0) {
                Execution execution = startNext(runner);
                if (execution == null) {
                    break;
                }
                runner.start(execution);
            }
        }
    }

    /** Hands back the jobs claimed ahead that waited too long for their runner. */
    private void handBackStale() {
        for (JobRunner runner : runners) {
            List<Job> stale = backlogs.get(runner).takeWaitingLongerThan(BACKLOG_STALE_NANOS);
            if (!stale.isEmpty()) {
                log.info("Handing back {} claimed job(s) the {} runner did not start within {} ms", stale.size(), runner.name(),
                        BACKLOG_STALE_NANOS / 1_000_000);
                exchange.returnUnstarted(stale);
            }
        }
    }

    /**
     * The next job claimed for {@code runner}, as an execution counted as running, or null; the exchange is told, so
     * that it claims more if the runner wants more.
     */
    private Execution startNext(JobRunner runner) {
        Job job = backlogs.get(runner).poll();
        if (job == null) {
            return null;
        }
        Execution execution = new Execution(job, runner);
        running.put(job.id(), execution);
        exchange.wake();
        return execution;
    }

    private void heartbeat() {
        // Jobs claimed but not started, and finished ones whose outcome is not written yet, are still ours:
        // their leases must hold too.
        Set<Long> held = new HashSet<>(running.keySet());
        backlogs.values().forEach(backlog -> backlog.addIdsTo(held));
        exchange.addPendingIdsTo(held);
        leases.beat(state(), held, running);
    }

    /** The last steps of a stop: end the loop, count what was not written, stop the runners, deregister. */
    private void conclude(Drain drain) {
        loopEnds = true;
        inbox.wake();
        Thread loop = loopThread;
        if (loop != null) {
            try {
                // A loop stuck in a heartbeat the database does not answer is left behind (it is a daemon).
                loop.join(Duration.ofMillis(200));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        DrainResult result = drain.conclude();
        runners.forEach(JobRunner::shutdown);
        state = InstanceState.STOPPED;
        lastDrain = result;
        log.info("Dispatcher stopped after {} ms: {} drained, {} cancelled, {} released, {} abandoned, {} not released,"
                        + " {} outcome(s) not written", result.took().toMillis(), result.drained(), result.cancelled(),
                result.released(), result.abandoned(), result.unreleased(), result.unwritten());
        deregister(drain.deregisterEnds());
    }

    /** Marks this instance STOPPED, unless the database does not answer by {@code deadline}. */
    private void deregister(Deadline deadline) {
        Thread call = Thread.ofVirtual().name("quiesce-deregister").start(leases::deregister);
        try {
            if (!call.join(Duration.ofNanos(Math.max(0, deadline.remainingNanos())))) {
                log.warn("Marking this instance STOPPED did not finish by the stop's deadline (is the database reachable?);"
                        + " other instances will take its silent heartbeat for a crash and reclaim what it still holds");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A runner as the exchange sees it: claims go to its backlog; it wants its free slots plus its prefetch. */
    private final class RunnerTaker implements QueueExchange.Taker {
        private final JobRunner runner;
        private final Backlog backlog;
        private final Prefetch prefetch;

        RunnerTaker(JobRunner runner, Backlog backlog, Prefetch prefetch) {
            this.runner = runner;
            this.backlog = backlog;
            this.prefetch = prefetch;
        }

        @Override
        public Set<String> types() {
            return runner.types();
        }

        @Override
        public int wanted() {
            int free = runner.free();
            return free + prefetch.size(free + runner.inFlight()) - backlog.size();
        }

        @Override
        public void claimed(List<Job> jobs) {
            metrics.claimed(runner.name(), jobs.size());
            if (!backlog.offer(jobs)) {
                // Quiet or stopping since the claim was sent: these must not start.
                log.info("Handing back {} job(s) the {} runner claimed as it stopped claiming", jobs.size(), runner.name());
                exchange.returnUnstarted(jobs);
                return;
            }
            inbox.wake();
        }
    }
}

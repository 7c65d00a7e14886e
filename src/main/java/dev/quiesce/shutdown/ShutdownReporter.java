package dev.quiesce.shutdown;

import dev.quiesce.instance.InstanceIdentity;
import dev.quiesce.leak.LeakAudit;
import dev.quiesce.leak.LeakKind;
import dev.quiesce.leak.Leaks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The last phase of a stop ({@link ShutdownPhases#AUDIT}): runs the {@link LeakAudit}, then writes what the
 * shutdown did as a {@link ShutdownReport} three ways — one log line (INFO when clean, WARN otherwise), a row in
 * {@code shutdown_reports} (the database closes only after this phase), and, when
 * {@code quiesce.shutdown.termination-message-path} is set, a short summary there for Kubernetes. Each write
 * that fails is logged and the others still happen. The audit and the row need the database, which may be the
 * very thing that is down: both run on their own thread and are given up a margin before the exit deadline,
 * so the log line and the termination message are always written, and the exit still fits the budget.
 */
final class ShutdownReporter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ShutdownReporter.class);
    private static final Duration LEAST = Duration.ofMillis(500);

    private final ShutdownClock clock;
    private final ShutdownBudget budget;
    private final ShutdownTimeline timeline;
    private final LeakAudit audit;
    private final Leaks leaks;
    private final JobsAtShutdown jobs;
    private final ChildrenAtShutdown children;
    private final ShutdownReports reports;
    private final InstanceIdentity identity;
    private final Path terminationMessagePath;
    private final ConnectionPoolClose pool;
    private volatile boolean running;
    private volatile ShutdownReport lastReport;

    ShutdownReporter(ShutdownClock clock, ShutdownBudget budget, ShutdownTimeline timeline, LeakAudit audit, Leaks leaks,
                     JobsAtShutdown jobs, ChildrenAtShutdown children, ShutdownReports reports, InstanceIdentity identity,
                     Path terminationMessagePath, ConnectionPoolClose pool) {
        this.clock = clock;
        this.budget = budget;
        this.timeline = timeline;
        this.audit = audit;
        this.leaks = leaks;
        this.jobs = jobs;
        this.children = children;
        this.reports = reports;
        this.identity = identity;
        this.terminationMessagePath = terminationMessagePath;
        this.pool = pool;
    }

    @Override
    public int getPhase() {
        return ShutdownPhases.AUDIT;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Audits, reports, and returns: the phase's work is short, and bounded by the exit deadline. */
    @Override
    public void stop() {
        timeline.begin("audit");
        // The margin stays for what follows (closing the connection pool, the JVM's exit), so a database that does
        // not answer cannot push the exit past the budget.
        Deadline databaseWorkEnds = clock.deadlines().exit().plus(budget.margin().negated());
        boolean audited = bounded(audit::run, databaseWorkEnds, "The leak audit", LEAST);
        timeline.end();
        ShutdownReport report = report();
        lastReport = report;
        if (report.outcome() == ShutdownOutcome.CLEAN) {
            log.info("Shutdown {}", ShutdownReportText.logLine(report));
        } else {
            log.warn("Shutdown {}", ShutdownReportText.logLine(report));
        }
        // A database that could not answer the audit gets no extra time for the row: the exit comes first.
        bounded(() -> save(report), databaseWorkEnds, "Storing the shutdown report", audited ? LEAST : Duration.ZERO);
        writeTerminationMessage(report);
        // Nothing needs the database after this phase; its pool must not hold the exit past the budget. A database
        // that did not answer the audit gets no more time here: its pool is left closing as the JVM exits.
        bounded(pool, audited ? clock.deadlines().exit().plus(budget.margin().dividedBy(2).negated()) : databaseWorkEnds,
                "Closing the connection pool", Duration.ZERO);
        running = false;
    }

    /**
     * Runs {@code work} on a thread of its own until {@code deadline}, or for {@code least} if that is later (so an
     * overrun stop still gets its audit); past it, leaves it and says so. True if the work finished.
     */
    private static boolean bounded(Runnable work, Deadline deadline, String what, Duration least) {
        Thread thread = Thread.ofVirtual().name("quiesce-shutdown-report").start(work);
        Duration wait = deadline.remaining().compareTo(least) < 0 ? least : deadline.remaining();
        try {
            if (thread.join(wait)) {
                return true;
            }
            log.warn("{} did not finish by the exit deadline (is the database reachable?); going on without it", what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("{} interrupted; going on without it", what);
        }
        return false;
    }

    /** The report of the last stop, or null before one. */
    ShutdownReport lastReport() {
        return lastReport;
    }

    private ShutdownReport report() {
        ShutdownDeadlines deadlines = clock.deadlines();
        Duration took = Duration.ofNanos(Math.max(0, System.nanoTime() - deadlines.start().nanoTime()));
        Instant startedAt = Instant.now().minus(took);
        Map<String, Long> caused = LeakKind.byTag(leaks.caused());
        Map<String, Long> outstanding = LeakKind.byTag(leaks.outstanding());
        ShutdownReport.Jobs jobCounts = jobs.jobsAtShutdown();
        return new ShutdownReport(identity.id(), identity.name(), startedAt, budget.total(), took, timeline.phases(), jobCounts,
                children.childrenAtShutdown(), caused, outstanding, LeakKind.byTag(leaks.inherited()),
                ShutdownReport.outcomeOf(budget.total(), took, jobCounts, caused, outstanding));
    }

    private void save(ShutdownReport report) {
        try {
            reports.save(report);
        } catch (RuntimeException e) {
            log.warn("Could not store the shutdown report in the database: {}", e.toString());
        }
    }

    private void writeTerminationMessage(ShutdownReport report) {
        if (terminationMessagePath == null) {
            return;
        }
        try {
            Files.writeString(terminationMessagePath, ShutdownReportText.terminationMessage(report), StandardCharsets.UTF_8);
        } catch (IOException e) {
            log.warn("Could not write the termination message to {}: {}", terminationMessagePath, e.toString());
        }
    }

}

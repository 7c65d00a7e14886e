package dev.quiesce.child;

import dev.quiesce.leak.Leaks;
import dev.quiesce.shutdown.Deadline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ScheduledExecutorService;

/**
 * The pool's last step: terminates every child with its descendants against the children-stopped deadline
 * ({@link ChildTerminator}), counts how each ended, and only then ends the timer and the launcher thread —
 * the children's parent-death signal is tied to that thread, so it must outlive them.
 */
final class PoolTermination {

    private static final Logger log = LoggerFactory.getLogger(PoolTermination.class);

    private final ChildRoster roster;
    private final ChildLauncher launcher;
    private final Subreaper subreaper;
    private final ChildMetrics metrics;
    private final ScheduledExecutorService timer;
    private final Leaks leaks;

    PoolTermination(ChildRoster roster, ChildLauncher launcher, Subreaper subreaper, ChildMetrics metrics,
                    ScheduledExecutorService timer, Leaks leaks) {
        this.leaks = leaks;
        this.roster = roster;
        this.launcher = launcher;
        this.subreaper = subreaper;
        this.metrics = metrics;
        this.timer = timer;
    }

    /** Blocks until every child is gone or the deadline has passed; call after {@link ChildRoster#stopping()}. */
    TerminationResult terminate(Deadline deadline) {
        TerminationResult result = new ChildTerminator(launcher, subreaper, leaks).terminate(roster::retireAll, deadline);
        result.children().forEach(end -> metrics.exited(end.how()));
        timer.shutdownNow();
        launcher.close();
        log.info("Child pool stopped: {}", result);
        return result;
    }
}

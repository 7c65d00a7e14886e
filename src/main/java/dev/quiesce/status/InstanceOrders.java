package dev.quiesce.status;

import dev.quiesce.child.ChildPool;
import dev.quiesce.dispatch.JobDispatcher;
import dev.quiesce.instance.InstanceIdentity;
import dev.quiesce.queue.Fleet;
import dev.quiesce.queue.WorkerRegistry.InstanceState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quiet and resume orders from the database (DESIGN §10: fleet-wide actions go through the database). The instance
 * is told to be quiet when the fleet is, or when it was itself (by the console, the API, or its own actuator); it
 * goes quiet while told so, and resumes when the last order is lifted. A resume never overrides a quiet that no
 * order asked for (an actuator quiet whose order could not be written).
 */
public class InstanceOrders {

    private static final Logger log = LoggerFactory.getLogger(InstanceOrders.class);

    private final InstanceIdentity identity;
    private final JobDispatcher dispatcher;
    private final ChildPool pool;
    private final Fleet fleet;
    private boolean toldQuiet;

    InstanceOrders(InstanceIdentity identity, JobDispatcher dispatcher, ChildPool pool, Fleet fleet) {
        this.identity = identity;
        this.dispatcher = dispatcher;
        this.pool = pool;
        this.fleet = fleet;
    }

    /** Follows what the database says now (called with each heartbeat's answer). */
    synchronized void follow(boolean quiet) {
        if (quiet && !dispatcher.isRunning()) {
            dispatcher.startQuiet();
        } else if (quiet && dispatcher.state() == InstanceState.RUNNING) {
            log.info("Ordered quiet through the database (the fleet's or this instance's order)");
            dispatcher.quiet();
        } else if (!quiet && toldQuiet && dispatcher.state() == InstanceState.QUIET) {
            log.info("Quiet order lifted through the database: claiming again");
            pool.resume();
            dispatcher.resume();
        }
        toldQuiet = quiet;
    }

    /** Records a local quiet or resume (the actuator) as this instance's own order, so that the fleet agrees. */
    synchronized void ordered(boolean quiet) {
        try {
            fleet.orderInstance(identity.id(), quiet);
        } catch (RuntimeException e) {
            log.warn("Cannot record this instance's {} order in the database: {}", quiet ? "quiet" : "resume", e.toString());
        }
    }
}

package dev.quiesce.status;

import dev.quiesce.instance.InstanceIdentity;
import dev.quiesce.queue.Fleet;
import dev.quiesce.shutdown.ShutdownPhases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import tools.jackson.databind.ObjectMapper;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Every heartbeat, writes this instance's status document ({@link QuiesceEndpoint#local()}: state, running jobs,
 * children, pool, leaks) into its {@code workers} row, where the console of any instance reads it, and follows the
 * quiet orders the same round reads back ({@link InstanceOrders}). Runs from start-up until the children's phase
 * of the shutdown, so a draining instance is seen draining.
 */
class InstancePublisher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(InstancePublisher.class);

    private final InstanceIdentity identity;
    private final QuiesceEndpoint endpoint;
    private final InstanceOrders orders;
    private final Fleet fleet;
    private final ObjectMapper mapper;
    private final Duration every;
    private volatile Thread thread;
    private boolean failing;

    InstancePublisher(InstanceIdentity identity, QuiesceEndpoint endpoint, InstanceOrders orders, Fleet fleet,
                      ObjectMapper mapper, Duration every) {
        this.identity = identity;
        this.endpoint = endpoint;
        this.orders = orders;
        this.fleet = fleet;
        this.mapper = mapper;
        this.every = every;
    }

    @Override
    public void start() {
        // Once before the dispatcher starts (a lower phase starts first): an instance that starts while the fleet is
        // quiet starts quiet, without claiming a job first.
        publishOnce();
        thread = Thread.ofPlatform().name("quiesce-publisher").daemon(true).start(this::loop);
    }

    private void loop() {
        // start() published once already: the loop waits first.
        while (true) {
            LockSupport.parkNanos(every.toNanos());
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            publishOnce();
        }
    }

    void publishOnce() {
        try {
            boolean quiet = fleet.publish(identity.id(), mapper.writeValueAsString(endpoint.local()));
            orders.follow(quiet);
            if (failing) {
                log.info("Publishing this instance's status works again");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn("Cannot publish this instance's status or read its orders (will retry every {}): {}", every, e.toString());
                failing = true;
            }
        }
    }

    /**
     * Ends the loop without a last publish: with the database unreachable a publish could wait for a connection past
     * the stop's deadline. The row's {@code state} is the dispatcher's to write (STOPPED), within that deadline.
     */
    @Override
    public void stop() {
        Thread running = thread;
        thread = null;
        if (running != null) {
            running.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }

    /** Stops with the fleet's phase (below the web server, above the children): after the drain, before the audit. */
    @Override
    public int getPhase() {
        return ShutdownPhases.FLEET;
    }
}

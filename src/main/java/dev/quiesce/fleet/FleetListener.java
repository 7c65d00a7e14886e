package dev.quiesce.fleet;

import dev.quiesce.shutdown.ShutdownPhases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * This instance's link to the fleet on PostgreSQL: one thread and one {@link ListenerSession} that wakes the local
 * dispatcher when another instance signals jobs ready, holds this instance's liveness lock, and every tick arms
 * this instance's {@code workers} row and rescues the jobs of dead instances ({@link LivenessWatch}). When the
 * connection drops (a database restart, a terminated backend) it disarms the row through the pool, so this
 * instance is not taken for dead while it reconnects, and reconnects with back-off, logging once per outage; the
 * poll and the heartbeat cover the gap. It starts before the dispatcher and stops after it (phase
 * {@link ShutdownPhases#FLEET}), so the lock is held as long as the instance holds jobs.
 */
public final class FleetListener implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(FleetListener.class);
    private static final long FIRST_BACKOFF_MILLIS = 100;
    private static final Duration STOP_WAIT = Duration.ofSeconds(1);

    private final DedicatedConnections connections;
    private final boolean enabled;
    private final String instanceId;
    private final FleetProperties properties;
    private final Duration ownerStaleAfter;
    private final Runnable wake;
    private final OwnerRescue rescue;
    private final JdbcTemplate pool;
    private final FleetMetrics metrics;
    private final LivenessWatch watch = new LivenessWatch();

    private volatile boolean running;
    private volatile ListenerSession session;
    private Thread thread;
    private boolean armed;
    private long outageSince;
    private int attempts;

    /** @param connections where the listener connects; null when it must not run (H2, listen off): it then never starts */
    FleetListener(DedicatedConnections connections, String instanceId, FleetProperties properties, Duration ownerStaleAfter,
                  Runnable wake, OwnerRescue rescue, JdbcTemplate pool, FleetMetrics metrics) {
        this.connections = connections;
        this.enabled = connections != null;
        this.instanceId = instanceId;
        this.properties = properties;
        this.ownerStaleAfter = ownerStaleAfter;
        this.wake = wake;
        this.rescue = rescue;
        this.pool = pool;
        this.metrics = metrics;
    }

    @Override
    public int getPhase() {
        return ShutdownPhases.FLEET;
    }

    /** Connects once before returning (so a ready instance is listening), then runs on its own thread. */
    @Override
    public void start() {
        if (!enabled) {
            return;
        }
        running = true;
        connect();
        thread = Thread.ofPlatform().name("quiesce-fleet-listener").daemon(true).start(this::loop);
    }

    /**
     * Ends the thread at once: its connection is aborted (a wait for notifications or a check fails at once), which
     * ends the session and frees the lock. By now the dispatcher has marked this instance STOPPED, so nobody rescues it.
     */
    @Override
    public void stop() {
        running = false;
        Thread listener = thread;
        if (listener == null) {
            return;
        }
        listener.interrupt();
        ListenerSession current = session;
        if (current != null) {
            current.abort();
        }
        try {
            listener.join(STOP_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (listener.isAlive()) {
            log.warn("The fleet listener thread did not end within {} ms of its connection being aborted", STOP_WAIT.toMillis());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** The session's server process id, or 0 while disconnected (for tests and logs). */
    public int backendPid() {
        ListenerSession current = session;
        return current == null ? 0 : current.backendPid();
    }

    private void loop() {
        long nextCheck = System.nanoTime();
        try {
            while (running) {
                ListenerSession current = session;
                if (current == null) {
                    backOff();
                    connect();
                    continue;
                }
                try {
                    int heard = current.awaitNotifications(Math.max(1, (nextCheck - System.nanoTime()) / 1_000_000));
                    if (heard > 0) {
                        metrics.received(heard);
                        wake.run();
                    }
                    if (System.nanoTime() - nextCheck >= 0) {
                        nextCheck = System.nanoTime() + properties.tick().toNanos();
                        check(current);
                    }
                } catch (SQLException | RuntimeException e) {
                    if (running) {
                        lost(e);
                    }
                }
            }
        } catch (InterruptedException e) {
            // Only stop() interrupts this thread: end it.
            Thread.currentThread().interrupt();
        } finally {
            drop();
        }
    }

    private void check(ListenerSession current) throws SQLException {
        if (!armed) {
            armed = current.arm(instanceId);
        }
        if (properties.rescue()) {
            List<String> dead = watch.dead(current.others(instanceId, ownerStaleAfter));
            if (!dead.isEmpty()) {
                rescue.rescue(dead);
            }
        } else {
            // Notifications alone would not tell a silent, broken link from a quiet fleet.
            current.ping();
        }
    }

    private void connect() {
        try {
            session = ListenerSession.open(connections, instanceId);
            armed = false;
            watch.reset();
            metrics.listening(true);
            if (outageSince != 0) {
                metrics.reconnected();
                log.info("Fleet listener reconnected after {} ms ({} failed attempt(s))",
                        (System.nanoTime() - outageSince) / 1_000_000, attempts);
            } else {
                log.info("Fleet listener on {}: listening for jobs ready elsewhere, liveness lock {}{}", connections,
                        session.key(), properties.rescue() ? ", rescuing dead instances every " + properties.rescueInterval().toMillis() + " ms" : "");
            }
            outageSince = 0;
            attempts = 0;
        } catch (SQLException | RuntimeException e) {
            attempts++;
            if (outageSince == 0) {
                outageSince = System.nanoTime();
                log.warn("Fleet listener cannot connect to {} ({}); retrying with back-off up to {} ms. Meanwhile this"
                                + " instance finds jobs by polling and other instances take it for dead only by its heartbeat",
                        connections, e.toString(), properties.reconnectBackoffMax().toMillis());
            }
        }
    }

    private void lost(Exception e) {
        drop();
        outageSince = System.nanoTime();
        attempts = 0;
        log.warn("Fleet listener lost its connection ({}); reconnecting with back-off up to {} ms", e.toString(),
                properties.reconnectBackoffMax().toMillis());
    }

    /** Closes the session (freeing the lock) after disarming the row, so the others do not rescue a live instance. */
    private void drop() {
        ListenerSession current = session;
        if (current == null) {
            return;
        }
        session = null;
        metrics.listening(false);
        if (running) {
            disarm(current.key());
        }
        current.close();
    }

    private void disarm(int key) {
        try {
            pool.update("UPDATE workers SET liveness_key = NULL WHERE id = ? AND liveness_key = ?", instanceId, key);
        } catch (RuntimeException e) {
            // The database is away for the pool too (a restart): every session ended, and LivenessWatch ignores
            // locks it has not seen held since, so nobody mistakes this instance for dead on that account.
            log.debug("Could not disarm the liveness lock of {}: {}", instanceId, e.toString());
        }
    }

    private void backOff() throws InterruptedException {
        if (attempts == 0) {
            return;
        }
        long millis = Math.min(properties.reconnectBackoffMax().toMillis(), FIRST_BACKOFF_MILLIS << Math.min(attempts - 1, 20));
        Thread.sleep(millis);
    }
}

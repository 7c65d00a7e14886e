package dev.quiesce.fleet;

import dev.quiesce.queue.JobsEnqueued;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One connection of the fleet listener, from its opening to its end: it holds this instance's liveness lock
 * (a session-level advisory lock, freed by PostgreSQL the moment the session ends — a dead process's included),
 * LISTENs on {@link JobsEnqueued#CHANNEL}, arms this instance's {@code workers} row with the lock's key, and reads
 * the other instances' liveness. Each session takes a fresh key, so a half-dead earlier session of ours can never
 * make the row look alive. Not thread-safe: one thread uses it, except for {@link #abort()}.
 */
final class ListenerSession implements AutoCloseable {

    /** The first key of every Quiesce liveness lock, pg_advisory_lock(LOCK_SPACE, key): "QUIE" in ASCII. */
    static final int LOCK_SPACE = 0x51554945;
    private static final int KEY_TRIES = 5;

    private static final String LIVENESS = """
            WITH held AS MATERIALIZED (
                SELECT objid FROM pg_locks
                WHERE locktype = 'advisory' AND granted AND classid = ? AND objsubid = 2
                  AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))
            SELECT w.id, w.liveness_key,
                   EXISTS (SELECT 1 FROM held h WHERE h.objid = w.liveness_key) AS held,
                   EXISTS (SELECT 1 FROM jobs j WHERE j.owner = w.id AND j.state = 'RUNNING') AS busy
            FROM workers w
            WHERE w.liveness_key IS NOT NULL AND w.state <> 'STOPPED' AND w.id <> ?
              AND w.heartbeat_at >= CURRENT_TIMESTAMP - CAST(? AS BIGINT) * INTERVAL '1 millisecond'""";

    private final Connection connection;
    private final PGConnection pg;
    private final int key;
    private final int backendPid;

    private ListenerSession(Connection connection, int key, int backendPid) throws SQLException {
        this.connection = connection;
        this.pg = connection.unwrap(PGConnection.class);
        this.key = key;
        this.backendPid = backendPid;
    }

    /** Opens a connection, takes a liveness lock on it and LISTENs; the row is armed separately ({@link #arm}). */
    static ListenerSession open(DedicatedConnections connections, String instanceId) throws SQLException {
        Connection connection = connections.open("quiesce-fleet " + instanceId);
        try {
            int key = lock(connection);
            try (Statement statement = connection.createStatement()) {
                statement.execute("LISTEN " + JobsEnqueued.CHANNEL);
            }
            return new ListenerSession(connection, key, backendPid(connection));
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    int key() {
        return key;
    }

    /** The server process of this session (pg_stat_activity.pid). */
    int backendPid() {
        return backendPid;
    }

    /**
     * Marks {@code instanceId}'s row as holding this session's lock. False while the row does not exist yet (the
     * dispatcher registers it after this session opens) or is STOPPED.
     */
    boolean arm(String instanceId) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE workers SET liveness_key = ? WHERE id = ? AND state <> 'STOPPED'")) {
            update.setInt(1, key);
            update.setString(2, instanceId);
            return update.executeUpdate() == 1;
        }
    }

    /** Waits up to {@code timeoutMillis} (at least 1) for notifications; returns how many arrived. */
    int awaitNotifications(long timeoutMillis) throws SQLException {
        PGNotification[] notifications = pg.getNotifications((int) Math.max(1, Math.min(timeoutMillis, Integer.MAX_VALUE)));
        return notifications == null ? 0 : notifications.length;
    }

    /**
     * The other armed, not STOPPED instances whose heartbeat is younger than {@code fresh} (older ones are the
     * heartbeat reclaim's): whether a session holds each one's lock, and whether it holds running jobs.
     */
    List<OwnerLiveness> others(String selfId, Duration fresh) throws SQLException {
        List<OwnerLiveness> owners = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(LIVENESS)) {
            query.setInt(1, LOCK_SPACE);
            query.setString(2, selfId);
            query.setLong(3, fresh.toMillis());
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    owners.add(new OwnerLiveness(rs.getString("id"), rs.getInt("liveness_key"), rs.getBoolean("held"),
                            rs.getBoolean("busy")));
                }
            }
        }
        return owners;
    }

    /** A round trip that fails if the link is broken. */
    void ping() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1");
        }
    }

    /** Closes the socket at once, from any thread: a read blocked on it fails. */
    void abort() {
        try {
            connection.abort(Runnable::run);
        } catch (SQLException e) {
            // Already closed, or closing: either way the socket is going away, which is all this asks.
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // A broken connection may fail to say goodbye; its socket is closed all the same.
        }
    }

    private static int lock(Connection connection) throws SQLException {
        try (PreparedStatement tryLock = connection.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
            for (int i = 0; i < KEY_TRIES; i++) {
                int key = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
                tryLock.setInt(1, LOCK_SPACE);
                tryLock.setInt(2, key);
                try (ResultSet rs = tryLock.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        return key;
                    }
                }
            }
        }
        throw new SQLException("no free liveness lock key after " + KEY_TRIES + " tries");
    }

    private static int backendPid(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** What one check saw of another instance. */
    record OwnerLiveness(String id, int key, boolean lockHeld, boolean holdsJobs) {
    }
}

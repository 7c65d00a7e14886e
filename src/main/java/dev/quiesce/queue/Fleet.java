package dev.quiesce.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The fleet as the database knows it (the {@code workers} and {@code fleet} tables): every instance's row with the
 * status document it publishes, and the quiet orders each instance follows within a heartbeat
 * (DESIGN §10: fleet-wide actions go through the database).
 */
public interface Fleet {

    /** Live instances and those stopped or dead within {@code recent}, newest start first. */
    List<Instance> instances(Duration recent);

    /** Whether the whole fleet was told to be quiet (new instances start quiet too). */
    boolean fleetQuiet();

    /** Tells every instance to stop claiming ({@code quiet}) or to claim again. */
    void orderFleet(boolean quiet);

    /** Tells one instance to stop claiming or claim again; false when no live instance has this id. */
    boolean orderInstance(String instanceId, boolean quiet);

    /** Writes this instance's status document and answers whether it should be quiet (fleet or own order). */
    boolean publish(String instanceId, String statusJson);

    /**
     * @param heartbeatAge how long ago it last heartbeated (database clock)
     * @param quietOrdered the instance's own quiet order (the fleet's is {@link #fleetQuiet()})
     * @param inFlight     jobs it holds as RUNNING in the queue
     * @param statusJson   the last status document it published (the {@code /actuator/quiesce} answer without the
     *                     shutdown reports), null before the first
     */
    record Instance(String id, String name, String host, long pid, String state, Instant startedAt,
                    Instant heartbeatAt, Duration heartbeatAge, Instant stoppedAt, boolean quietOrdered, int inFlight,
                    String statusJson) {
    }
}

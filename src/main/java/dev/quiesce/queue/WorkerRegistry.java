package dev.quiesce.queue;

import java.util.List;

/**
 * Instances register in the {@code workers} table and heartbeat there; other instances use those rows to
 * tell a dead owner from a live one. All times are the database's.
 */
public interface WorkerRegistry {

    /** Inserts this incarnation as {@code RUNNING}. */
    void register(String instanceId, String name, String host, long pid);

    /** Records a heartbeat (database now) and the current state. */
    void heartbeat(String instanceId, InstanceState state);

    /** Leaves the row {@code STOPPED} after a clean stop. */
    void markStopped(String instanceId);

    /**
     * Earlier incarnations of the instance called {@code name} that never reached {@code STOPPED}: since this
     * incarnation now holds the data directory, they are dead.
     */
    List<String> unfinishedIncarnations(String name, String exceptInstanceId);

    /** The instance states stored in {@code workers.state} (also shown by the actuator endpoint). */
    enum InstanceState { RUNNING, QUIET, DRAINING, STOPPED }
}

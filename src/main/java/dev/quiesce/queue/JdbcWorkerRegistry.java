package dev.quiesce.queue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.util.List;

/**
 * The {@code workers} table: one row per incarnation of an instance, heartbeated with the database clock,
 * so that any instance can tell a dead owner from a live one ({@link LeaseReclaimer} reads these rows).
 */
@Repository
public class JdbcWorkerRegistry implements WorkerRegistry {

    private static final Logger log = LoggerFactory.getLogger(JdbcWorkerRegistry.class);

    private final JdbcClient sql;

    public JdbcWorkerRegistry(JdbcClient sql) {
        this.sql = sql;
    }

    @Override
    public void register(String instanceId, String name, String host, long pid) {
        // An upsert written as update-then-insert, the same on both databases; an incarnation id is unique
        // to one process, so no other writer races this.
        int updated = sql.sql("""
                        UPDATE workers SET name = ?, host = ?, pid = ?, state = 'RUNNING', started_at = CURRENT_TIMESTAMP,
                               heartbeat_at = CURRENT_TIMESTAMP, stopped_at = NULL
                        WHERE id = ?""")
                .params(name, host, pid, instanceId).update();
        if (updated == 0) {
            sql.sql("""
                            INSERT INTO workers (id, name, host, pid, state, started_at, heartbeat_at)
                            VALUES (?, ?, ?, ?, 'RUNNING', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)""")
                    .params(instanceId, name, host, pid).update();
        }
    }

    @Override
    public void heartbeat(String instanceId, InstanceState state) {
        int updated = sql.sql("UPDATE workers SET heartbeat_at = CURRENT_TIMESTAMP, state = ? WHERE id = ?")
                .params(state.name(), instanceId).update();
        if (updated == 0) {
            // Logged, not thrown: an exception would end a scheduled heartbeat task for good. Without its row
            // this instance looks dead, other instances reclaim its jobs, and the lease heartbeat reports them
            // lost, so the damage is bounded and visible.
            log.warn("Instance {} has no workers row (never registered, or deleted); other instances will treat"
                    + " it as dead and reclaim its jobs", instanceId);
        }
    }

    @Override
    public void markStopped(String instanceId) {
        sql.sql("""
                        UPDATE workers SET state = 'STOPPED', stopped_at = CURRENT_TIMESTAMP, heartbeat_at = CURRENT_TIMESTAMP
                        WHERE id = ?""")
                .param(instanceId).update();
    }

    @Override
    public List<String> unfinishedIncarnations(String name, String exceptInstanceId) {
        return sql.sql("SELECT id FROM workers WHERE name = ? AND state <> 'STOPPED' AND id <> ? ORDER BY started_at")
                .params(name, exceptInstanceId).query(String.class).list();
    }
}

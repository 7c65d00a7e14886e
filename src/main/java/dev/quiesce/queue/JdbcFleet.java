package dev.quiesce.queue;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The {@link Fleet} in the {@code workers} and {@code fleet} tables. An instance's quiet order is its own row's
 * {@code quiet_ordered}; the fleet's is the one {@code fleet} row. Ages are measured on the database clock.
 */
@Repository
public class JdbcFleet implements Fleet {

    private final JdbcClient sql;
    private final SqlDialect dialect;

    public JdbcFleet(JdbcClient sql, SqlDialect dialect) {
        this.sql = sql;
        this.dialect = dialect;
    }

    @Override
    public List<Instance> instances(Duration recent) {
        // In-flight: the jobs each holds as RUNNING (jobs_running_owner / jobs_owner); the rows are few.
        return sql.sql("SELECT w.*, CURRENT_TIMESTAMP AS db_now, (SELECT COUNT(*) FROM jobs j WHERE j.owner = w.id"
                        + " AND j.state = 'RUNNING') AS in_flight FROM workers w WHERE w.heartbeat_at >= "
                        + dialect.plusMillis("CURRENT_TIMESTAMP", "?") + " ORDER BY w.started_at DESC, w.id")
                .param(-recent.toMillis())
                .query(JdbcFleet::instance).list();
    }

    private static Instance instance(ResultSet rs, int row) throws SQLException {
        Instant now = JobRowMapper.instant(rs, "db_now");
        Instant heartbeat = JobRowMapper.instant(rs, "heartbeat_at");
        Duration age = Duration.between(heartbeat, now);
        return new Instance(rs.getString("id"), rs.getString("name"), rs.getString("host"), rs.getLong("pid"),
                rs.getString("state"), JobRowMapper.instant(rs, "started_at"), heartbeat,
                age.isNegative() ? Duration.ZERO : age, JobRowMapper.instant(rs, "stopped_at"),
                rs.getBoolean("quiet_ordered"), rs.getInt("in_flight"), rs.getString("status"));
    }

    @Override
    public boolean fleetQuiet() {
        return sql.sql("SELECT quiet FROM fleet WHERE id = 1").query(Boolean.class).optional().orElse(false);
    }

    /** A resume of the fleet also lifts every instance's own order: afterwards, everything claims. */
    @Override
    public void orderFleet(boolean quiet) {
        sql.sql("UPDATE fleet SET quiet = ?, changed_at = CURRENT_TIMESTAMP WHERE id = 1").param(quiet).update();
        if (!quiet) {
            sql.sql("UPDATE workers SET quiet_ordered = FALSE WHERE quiet_ordered = TRUE").update();
        }
    }

    @Override
    public boolean orderInstance(String instanceId, boolean quiet) {
        return sql.sql("UPDATE workers SET quiet_ordered = ? WHERE id = ? AND state <> 'STOPPED'")
                .params(quiet, instanceId).update() > 0;
    }

    @Override
    public boolean publish(String instanceId, String statusJson) {
        sql.sql("UPDATE workers SET status = ? WHERE id = ?").params(statusJson, instanceId).update();
        return sql.sql("SELECT CASE WHEN f.quiet OR COALESCE((SELECT w.quiet_ordered FROM workers w WHERE w.id = ?), FALSE)"
                        + " THEN 1 ELSE 0 END FROM fleet f WHERE f.id = 1")
                .param(instanceId).query(Integer.class).optional().orElse(0) == 1;
    }
}

package dev.quiesce.queue;

import dev.quiesce.job.Job;
import dev.quiesce.api.JobState;
import org.springframework.jdbc.core.RowMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Maps a full {@code jobs} row (both dialects) to a {@link Job}. Stateless, so one instance is shared. */
final class JobRowMapper implements RowMapper<Job> {

    static final JobRowMapper INSTANCE = new JobRowMapper();

    private JobRowMapper() {
    }

    @Override
    public Job mapRow(ResultSet rs, int rowNum) throws SQLException {
        return new Job(
                rs.getLong("id"),
                rs.getString("type"),
                JobState.valueOf(rs.getString("state")),
                rs.getString("payload"),
                rs.getInt("priority"),
                rs.getInt("attempts"),
                rs.getInt("max_attempts"),
                rs.getInt("interruptions"),
                rs.getInt("crashes"),
                rs.getString("owner"),
                rs.getString("result"),
                rs.getString("last_error"),
                rs.getString("idempotency_key"),
                instant(rs, "created_at"),
                instant(rs, "run_at"),
                instant(rs, "started_at"),
                instant(rs, "finished_at"));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}

package dev.quiesce.queue;

import dev.quiesce.api.JobState;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The console's overview in three statements, each through an index that leads with the state: the live rows
 * ({@code jobs_claim}, {@code jobs_running_owner}), the last hour's finished rows ({@code jobs_finished}, state and
 * finished_at), and the FAILED rows kept ({@code jobs_state_newest}). The last hour's cost follows the hour's
 * throughput, so a snapshot is shared by every viewer for {@link #MAX_AGE}, and each statement is bounded.
 */
@Component
class JdbcQueueOverview implements QueueOverview {

    static final Duration MAX_AGE = Duration.ofSeconds(2);
    private static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(5);

    private static final String ACTIVE = """
            SELECT state, type, COUNT(*) AS jobs,
                   SUM(CASE WHEN run_at > CURRENT_TIMESTAMP THEN 1 ELSE 0 END) AS scheduled,
                   MIN(CASE WHEN run_at <= CURRENT_TIMESTAMP THEN run_at END) AS oldest_ready, CURRENT_TIMESTAMP AS db_now
            FROM jobs WHERE state = 'QUEUED' GROUP BY state, type
            UNION ALL
            SELECT state, type, COUNT(*) AS jobs, 0 AS scheduled, NULL AS oldest_ready, CURRENT_TIMESTAMP AS db_now
            FROM jobs WHERE state = 'RUNNING' GROUP BY state, type""";

    private final JdbcTemplate jdbc;
    private final String lastHour;
    private Snapshot snapshot;
    private long readAt;

    JdbcQueueOverview(DataSource dataSource, SqlDialect dialect) {
        this.jdbc = new JdbcTemplate(dataSource);
        jdbc.setQueryTimeout((int) STATEMENT_TIMEOUT.toSeconds());
        this.lastHour = "SELECT DATE_TRUNC('minute', finished_at) AS bucket, state, type, COUNT(*) AS jobs FROM jobs"
                + " WHERE state IN ('SUCCEEDED', 'FAILED', 'CANCELLED') AND finished_at >= "
                + dialect.plusMillis("CURRENT_TIMESTAMP", "-3600000") + " GROUP BY DATE_TRUNC('minute', finished_at), state, type";
    }

    @Override
    public synchronized Snapshot read() {
        if (snapshot == null || System.nanoTime() - readAt > MAX_AGE.toNanos()) {
            snapshot = readNow();
            readAt = System.nanoTime();
        }
        return snapshot;
    }

    private Snapshot readNow() {
        Map<String, Map<JobState, Long>> active = new TreeMap<>();
        long[] scheduled = {0};
        Instant[] now = {null};
        Instant[] oldestReady = {null};
        jdbc.query(ACTIVE, rs -> {
            JobState state = JobState.valueOf(rs.getString("state"));
            active.computeIfAbsent(rs.getString("type"), type -> new EnumMap<>(JobState.class)).put(state, rs.getLong("jobs"));
            scheduled[0] += rs.getLong("scheduled");
            now[0] = JobRowMapper.instant(rs, "db_now");
            Instant oldest = JobRowMapper.instant(rs, "oldest_ready");
            if (oldest != null && (oldestReady[0] == null || oldest.isBefore(oldestReady[0]))) {
                oldestReady[0] = oldest;
            }
        });
        Map<String, Map<JobState, Long>> lastHour = new TreeMap<>();
        Map<Instant, long[]> byMinute = new HashMap<>();
        jdbc.query(this.lastHour, rs -> {
            JobState state = JobState.valueOf(rs.getString("state"));
            long jobs = rs.getLong("jobs");
            lastHour.computeIfAbsent(rs.getString("type"), type -> new EnumMap<>(JobState.class)).merge(state, jobs, Long::sum);
            Instant minute = JobRowMapper.instant(rs, "bucket");
            byMinute.computeIfAbsent(minute, m -> new long[3])[state.ordinal() - JobState.SUCCEEDED.ordinal()] += jobs;
        });
        Long failed = jdbc.queryForObject("SELECT COUNT(*) FROM jobs WHERE state = 'FAILED'", Long.class);
        Instant at = now[0] != null ? now[0]
                : jdbc.queryForObject("SELECT CURRENT_TIMESTAMP", java.time.OffsetDateTime.class).toInstant();
        Duration waited = oldestReady[0] == null ? Duration.ZERO : Duration.between(oldestReady[0], at);
        return new Snapshot(at, active, lastHour, minutes(at, byMinute), waited.isNegative() ? Duration.ZERO : waited,
                scheduled[0], failed == null ? 0 : failed);
    }

    private static List<Minute> minutes(Instant at, Map<Instant, long[]> byMinute) {
        Instant last = at.truncatedTo(ChronoUnit.MINUTES);
        List<Minute> minutes = new ArrayList<>(60);
        for (int i = 59; i >= 0; i--) {
            Instant start = last.minus(i, ChronoUnit.MINUTES);
            long[] counts = byMinute.getOrDefault(start, new long[3]);
            minutes.add(new Minute(start, counts[0], counts[1], counts[2]));
        }
        return minutes;
    }
}

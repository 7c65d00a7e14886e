package dev.quiesce.bench.peer;

import ch.qos.logback.classic.Level;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerBuilder;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.event.AbstractSchedulerListener;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The peer of the throughput benchmark (issue 9): db-scheduler 16.12.0 doing what Quiesce's throughput cell does, in
 * its own JVM, which {@code dev.quiesce.bench.Benchmark} launches right after Quiesce's run of the same cell. It
 * drops and creates db-scheduler's table (its documented schema), starts a scheduler with {@code --threads} and the
 * library's documented high-throughput settings, schedules {@code --jobs} one-time no-op task instances
 * {@code --lead} seconds ahead in one {@code scheduleBatch}, and measures inside the task: (a) = jobs / (last
 * completion − first execution start), on {@link System#nanoTime()}. Then it checks that every instance ran exactly
 * once and that the table is empty (one-time tasks delete their row when complete), and prints one line:
 * {@code DBSCHEDULER-PEER key=value ...} (see {@link #report}), which the harness parses. Exit status 0 when the run
 * is valid, 1 when it is not (the line says why), 2 for bad arguments.
 *
 * <pre>
 * --url=JDBC URL (an H2 file or PostgreSQL) --user= --password= --threads=2 --jobs=20000 --lead=10 (s) --cap=120 (s)
 * --poll-ms=100
 * </pre>
 *
 * <p>Settings: on PostgreSQL {@code pollUsingLockAndFetch(1.0, 4.0)} (select-for-update-skip-locked, the README's
 * "for high throughput"); H2 has no lock-and-fetch in db-scheduler (only PostgreSQL, SQL Server, Oracle, MySQL 8),
 * so there it polls with the default {@code fetch-and-lock-on-execute (0.5, 3.0)}. Polling interval {@code --poll-ms}
 * (the library's default is 10 s). Connection pool: Hikari, threads + 4 connections.
 */
public final class DbSchedulerPeer {

    static final String LINE_PREFIX = "DBSCHEDULER-PEER";
    private static final String TABLE = "scheduled_tasks";

    private final String url;
    private final String user;
    private final String password;
    private final int threads;
    private final int jobs;
    private final double leadSeconds;
    private final double capSeconds;
    private final long pollMillis;
    private final boolean postgres;

    private final AtomicIntegerArray runs;
    private final CountDownLatch completed;
    private final AtomicLong firstStart = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong lastEnd = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong lastComplete = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong firstStartWall = new AtomicLong(Long.MAX_VALUE);

    private DbSchedulerPeer(Map<String, String> args) {
        this.url = required(args, "url");
        this.user = args.getOrDefault("user", "sa");
        this.password = args.getOrDefault("password", "");
        this.threads = Integer.parseInt(args.getOrDefault("threads", "2"));
        this.jobs = Integer.parseInt(args.getOrDefault("jobs", "20000"));
        this.leadSeconds = Double.parseDouble(args.getOrDefault("lead", "10"));
        this.capSeconds = Double.parseDouble(args.getOrDefault("cap", "120"));
        this.pollMillis = Long.parseLong(args.getOrDefault("poll-ms", "100"));
        this.postgres = url.startsWith("jdbc:postgresql:");
        if (!postgres && !url.startsWith("jdbc:h2:")) {
            throw new IllegalArgumentException("--url must be an H2 or a PostgreSQL JDBC URL, got " + url);
        }
        this.runs = new AtomicIntegerArray(jobs);
        this.completed = new CountDownLatch(jobs);
    }

    public static void main(String[] argv) {
        DbSchedulerPeer peer;
        try {
            peer = new DbSchedulerPeer(parse(argv));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
        Map<String, String> result;
        try {
            result = peer.run();
        } catch (Exception e) {
            e.printStackTrace();
            result = new LinkedHashMap<>(Map.of("ok", "false", "reason", e.toString()));
        }
        System.out.println(report(result));
        System.exit("true".equals(result.get("ok")) ? 0 : 1);
    }

    /** {@code DBSCHEDULER-PEER k=v k=v}: values without spaces (a reason's spaces become underscores). */
    static String report(Map<String, String> values) {
        StringBuilder line = new StringBuilder(LINE_PREFIX);
        values.forEach((k, v) -> line.append(' ').append(k).append('=').append(v.replaceAll("\\s+", "_")));
        return line.toString();
    }

    private Map<String, String> run() throws SQLException, InterruptedException {
        Map<String, String> out = new LinkedHashMap<>();
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(url);
        pool.setUsername(user);
        pool.setPassword(password);
        pool.setMaximumPoolSize(threads + 4);
        pool.setPoolName("peer");
        try (HikariDataSource dataSource = new HikariDataSource(pool)) {
            createTable(dataSource);
            OneTimeTask<Void> noop = Tasks.oneTime("noop").execute((instance, context) -> ran(Integer.parseInt(instance.getId())));
            SchedulerBuilder builder = Scheduler.create(dataSource, noop)
                    .threads(threads)
                    .pollingInterval(Duration.ofMillis(pollMillis))
                    .schedulerName(new SchedulerName.Fixed("peer"))
                    .addSchedulerListener(new AbstractSchedulerListener() {
                        @Override
                        public void onExecutionComplete(ExecutionComplete complete) {
                            lastComplete.accumulateAndGet(System.nanoTime(), Math::max);
                        }
                    });
            String polling;
            if (postgres) {
                builder.pollUsingLockAndFetch(1.0, 4.0);
                polling = "lock-and-fetch(1.0,4.0)";
            } else {
                builder.pollUsingFetchAndLockOnExecute(0.5, 3.0);
                polling = "fetch-and-lock-on-execute(0.5,3.0)";
            }
            Scheduler scheduler = builder.build();
            scheduler.start();
            try {
                Instant runAt = Instant.now().plusMillis((long) (leadSeconds * 1000)).truncatedTo(ChronoUnit.MILLIS);
                List<TaskInstance<?>> instances = new ArrayList<>(jobs);
                for (int i = 0; i < jobs; i++) {
                    instances.add(noop.instance(Integer.toString(i)));
                }
                long scheduleStart = System.nanoTime();
                scheduler.scheduleBatch(instances, runAt);
                double scheduleSeconds = (System.nanoTime() - scheduleStart) / 1e9;
                boolean first = Instant.now().isBefore(runAt);
                out.put("jobs", Integer.toString(jobs));
                out.put("threads", Integer.toString(threads));
                out.put("polling", polling);
                out.put("poll_ms", Long.toString(pollMillis));
                out.put("schedule_s", fmt(scheduleSeconds));
                out.put("enqueued_first", Boolean.toString(first));
                if (!first) {
                    out.put("ok", "false");
                    out.put("reason", "scheduling took longer than the lead");
                    return out;
                }
                long capNanos = Duration.between(Instant.now(), runAt).toNanos() + (long) (capSeconds * 1e9);
                boolean done = completed.await(capNanos, TimeUnit.NANOSECONDS);
                long rowsLeft = awaitEmptyTable(dataSource, Duration.ofSeconds(30));
                double span = (lastEnd.get() - firstStart.get()) / 1e9;
                double spanComplete = (lastComplete.get() - firstStart.get()) / 1e9;
                int executed = 0;
                int duplicates = 0;
                int missing = 0;
                for (int i = 0; i < jobs; i++) {
                    int n = runs.get(i);
                    executed += n;
                    duplicates += Math.max(0, n - 1);
                    missing += n == 0 ? 1 : 0;
                }
                out.put("executed", Integer.toString(executed));
                out.put("duplicates", Integer.toString(duplicates));
                out.put("missing", Integer.toString(missing));
                out.put("rows_left", Long.toString(rowsLeft));
                out.put("first_start_after_run_at_s", fmt((firstStartWall.get() - runAt.toEpochMilli() * 1000) / 1e6));
                out.put("span_s", fmt(span));
                out.put("rate", fmt(jobs / span));
                out.put("span_to_complete_s", fmt(spanComplete));
                out.put("rate_to_complete", fmt(jobs / spanComplete));
                boolean valid = done && duplicates == 0 && missing == 0 && rowsLeft == 0;
                out.put("ok", Boolean.toString(valid));
                if (!valid) {
                    out.put("reason", !done ? "not all done " + capSeconds + " s after runAt" : "not exactly once, or rows left");
                }
                return out;
            } finally {
                scheduler.stop();
            }
        }
    }

    /** The task: counts the instance's run and stretches the measured span. */
    private void ran(int id) {
        long start = System.nanoTime();
        firstStart.accumulateAndGet(start, Math::min);
        Instant now = Instant.now();
        firstStartWall.accumulateAndGet(now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000, Math::min);
        runs.incrementAndGet(id);
        completed.countDown();
        lastEnd.accumulateAndGet(System.nanoTime(), Math::max);
    }

    /** db-scheduler's table, dropped first: its documented schema (16.x), in the H2 or the PostgreSQL flavour. */
    private void createTable(HikariDataSource dataSource) throws SQLException {
        String time = "timestamp with time zone";
        String text = postgres ? "text" : "varchar(100)";
        String ddl = "CREATE TABLE " + TABLE + " ("
                + "task_name " + text + " NOT NULL, "
                + "task_instance " + text + " NOT NULL, "
                + "task_data " + (postgres ? "bytea" : "blob") + ", "
                + "execution_time " + time + " NOT NULL, "
                + "picked boolean NOT NULL, "
                + "picked_by " + (postgres ? "text" : "varchar(50)") + ", "
                + "last_success " + time + ", "
                + "last_failure " + time + ", "
                + "consecutive_failures int, "
                + "last_heartbeat " + time + ", "
                + "version bigint NOT NULL, "
                + "priority smallint, "
                + "PRIMARY KEY (task_name, task_instance))";
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + TABLE);
            s.execute(ddl);
            s.execute("CREATE INDEX execution_time_idx ON " + TABLE + " (execution_time)");
            s.execute("CREATE INDEX last_heartbeat_idx ON " + TABLE + " (last_heartbeat)");
            s.execute("CREATE INDEX priority_execution_time_idx ON " + TABLE + " (priority DESC, execution_time ASC)");
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
    }

    /** Waits (bounded) until every completed one-time task's row is deleted; returns the rows left. */
    private static long awaitEmptyTable(HikariDataSource dataSource, Duration atMost) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (true) {
            long rows;
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + TABLE)) {
                rs.next();
                rows = rs.getLong(1);
            }
            if (rows == 0 || System.nanoTime() - deadline > 0) {
                return rows;
            }
            Thread.sleep(50);
        }
    }

    private static Map<String, String> parse(String[] argv) {
        Map<String, String> args = new LinkedHashMap<>();
        for (String arg : argv) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("arguments are --name=value, got " + arg);
            }
            args.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        return args;
    }

    private static String required(Map<String, String> args, String name) {
        String value = args.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.6f", value);
    }
}

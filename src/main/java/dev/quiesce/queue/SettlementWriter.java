package dev.quiesce.queue;

import dev.quiesce.api.JobState;
import dev.quiesce.queue.JobQueue.Outcome;
import dev.quiesce.queue.JobQueue.Settlement;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes execution outcomes, one statement (PostgreSQL: one {@code UPDATE ... FROM unnest(ids, texts)}) or one JDBC
 * batch (H2) per kind of write, every row fenced on {@code id, owner, state = 'RUNNING'}: a row the write did not
 * touch means the owner lost the job, and the outcome is discarded. Where the new state depends on the row (a
 * failure retries only while attempts remain; a release of a job whose cancellation was requested cancels it), the
 * row's own condition picks the write: the first write's fence matches only the rows it should, and the rows it left
 * are offered to the second. Must run inside a transaction.
 */
final class SettlementWriter {

    /** {@code jobs.last_error} is {@code varchar(8000)}; a longer error (a stack trace) keeps its head. */
    static final int MAX_ERROR_CHARS = 8000;

    private static final String NOW = "CURRENT_TIMESTAMP";
    /** In a {@link Write}'s SQL: the outcome's text (result, error or reason), and the two back-off parameters. */
    private static final String TEXT = "{text}";
    private static final String BACKOFF = "{backoff}";
    private static final String BACKOFF_MAX = "{backoffMax}";
    /** The failure's stack trace (per row), and the time that starts a history entry (one per settlement). */
    private static final String TRACE = "{trace}";
    private static final String NOW_TEXT = "{now}";
    private static final Pattern TOKEN = Pattern.compile("\\{(text|trace|now|backoff|backoffMax)}");

    private static final Write SUCCEED = new Write("state = 'SUCCEEDED', result = " + TEXT + ", finished_at = " + NOW
            + ", lease_until = NULL", "", JobState.SUCCEEDED);
    private static final Write FAIL = new Write("state = 'FAILED', last_error = " + TEXT + ", error_trace = " + TRACE
            + ", finished_at = " + NOW + ", lease_until = NULL", "", JobState.FAILED);
    private static final Write CANCEL = new Write("state = 'CANCELLED', last_error = " + TEXT + ", finished_at = " + NOW
            + ", lease_until = NULL", "", JobState.CANCELLED);
    private static final Write RELEASE = new Write("state = 'QUEUED', owner = NULL, lease_until = NULL,"
            + " attempts = attempts - 1, interruptions = interruptions + 1, history = "
            + JobHistory.append(NOW_TEXT + " || 'handed back by ' || owner || ' (it stopped or went quiet); attempt refunded'"),
            " AND cancel_requested = FALSE", JobState.QUEUED);
    private static final Write RETURN = new Write("state = 'QUEUED', owner = NULL, lease_until = NULL,"
            + " attempts = attempts - 1, history = " + JobHistory.append(NOW_TEXT + " || 'returned unstarted by ' || owner"),
            " AND cancel_requested = FALSE", JobState.QUEUED);
    private static final Write RETURN_CANCELLED = new Write("state = 'CANCELLED', lease_until = NULL,"
            + " attempts = attempts - 1, finished_at = " + NOW
            + ", last_error = 'cancelled: cancellation was requested before the job started'", "", JobState.CANCELLED);
    private static final Write RELEASE_CANCELLED = new Write("state = 'CANCELLED', lease_until = NULL,"
            + " attempts = attempts - 1, interruptions = interruptions + 1, finished_at = " + NOW
            + ", last_error = 'cancelled: cancellation was requested before the job was released'", "", JobState.CANCELLED);

    private final JdbcTemplate jdbc;
    private final boolean arrays;
    private final Write retry;
    private final Write crashRetry;
    private final Write crashFail;

    SettlementWriter(JdbcTemplate jdbc, SqlDialect dialect, int quarantineAfter) {
        this.jdbc = jdbc;
        this.arrays = dialect.writesRowsAsArrays();
        // Back-off = retryBackoff * 2^(attempts - 1), capped; the exponent is capped too, because
        // PostgreSQL's power() raises an overflow error where H2 would return infinity.
        String backoff = "LEAST(CAST(" + BACKOFF + " AS BIGINT) * POWER(2, LEAST(attempts - 1, 40)), CAST(" + BACKOFF_MAX
                + " AS BIGINT))";
        // A job whose cancellation was requested is not retried: the client does not want it run again.
        this.retry = new Write("state = 'QUEUED', owner = NULL, lease_until = NULL, last_error = " + TEXT
                + ", error_trace = " + TRACE + ", run_at = " + dialect.plusMillis(NOW, backoff) + ", history = "
                + JobHistory.append(NOW_TEXT + " || 'attempt ' || CAST(attempts AS VARCHAR(11)) || ' failed; retrying after back-off'"),
                " AND attempts < max_attempts AND cancel_requested = FALSE", JobState.QUEUED);
        // A crash is retried like a failure, unless it is the job's quarantine-after'th: a poison pill must
        // not take down one worker after another forever.
        this.crashRetry = new Write("state = 'QUEUED', owner = NULL, lease_until = NULL, crashes = crashes + 1,"
                + " last_error = " + TEXT + ", error_trace = NULL, run_at = " + dialect.plusMillis(NOW, backoff) + ", history = "
                + JobHistory.append(NOW_TEXT + " || 'attempt ' || CAST(attempts AS VARCHAR(11)) || ' crashed its worker (' || owner"
                + " || '); retrying after back-off'"),
                " AND attempts < max_attempts AND cancel_requested = FALSE AND crashes + 1 < " + quarantineAfter, JobState.QUEUED);
        this.crashFail = new Write("state = 'FAILED', lease_until = NULL, crashes = crashes + 1, error_trace = NULL,"
                + " finished_at = " + NOW
                + ", last_error = CASE WHEN crashes + 1 >= " + quarantineAfter
                + " THEN CONCAT('quarantined: crashed its worker ', crashes + 1, ' times; last: ', " + TEXT + ") ELSE "
                + TEXT + " END", "", JobState.FAILED);
    }

    List<Settlement> settle(String owner, List<Outcome> outcomes, long backoffMillis, long backoffMaxMillis) {
        // By identity: two equal outcomes in one call are two writes, and the second one is fenced.
        Map<Outcome, JobState> written = new IdentityHashMap<>();
        List<Outcome.Succeeded> succeeded = new ArrayList<>();
        List<Outcome.Failed> retryable = new ArrayList<>();
        List<Outcome.Failed> failed = new ArrayList<>();
        List<Outcome.Cancelled> cancelled = new ArrayList<>();
        List<Outcome.Released> released = new ArrayList<>();
        List<Outcome.Crashed> crashed = new ArrayList<>();
        List<Outcome.Returned> returned = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            switch (outcome) {
                case Outcome.Succeeded s -> succeeded.add(s);
                case Outcome.Failed f when f.retryable() -> retryable.add(f);
                case Outcome.Failed f -> failed.add(f);
                case Outcome.Cancelled c -> cancelled.add(c);
                case Outcome.Released r -> released.add(r);
                case Outcome.Crashed c -> crashed.add(c);
                case Outcome.Returned r -> returned.add(r);
            }
        }
        Writer writer = new Writer(owner, backoffMillis, backoffMaxMillis, JobHistory.now(), written);
        // A result is stored whole (a text column); errors and reasons are cut to what last_error holds.
        writer.write(SUCCEED, succeeded, Outcome.Succeeded::result);
        failed.addAll(writer.write(retry, retryable, f -> truncate(f.error()), Outcome.Failed::trace));
        writer.write(FAIL, failed, f -> truncate(f.error()), Outcome.Failed::trace);
        writer.write(CANCEL, cancelled, c -> truncate(c.reason()));
        writer.write(crashFail, writer.write(crashRetry, crashed, c -> truncate(c.error())), c -> truncate(c.error()));
        writer.write(RELEASE_CANCELLED, writer.write(RELEASE, released, r -> null), r -> null);
        writer.write(RETURN_CANCELLED, writer.write(RETURN, returned, r -> null), r -> null);

        return outcomes.stream()
                .map(o -> written.containsKey(o) ? new Settlement(o, written.get(o), false) : Settlement.fenced(o))
                .toList();
    }

    static String truncate(String error) {
        return error == null || error.length() <= MAX_ERROR_CHARS ? error : error.substring(0, MAX_ERROR_CHARS);
    }

    /**
     * One kind of write: what it sets (may use {@link #TEXT}, the outcome's text, and the back-off tokens), the
     * condition beyond the fence, and the state it leaves the job in.
     */
    private static final class Write {

        /** The tokens in the order they appear, i.e. the order of their parameters (one row per statement). */
        final List<String> tokens;
        /** The scalar tokens only: the parameters of {@link #allRows}, where the text and the trace come as arrays. */
        final List<String> scalarTokens;
        final boolean traced;
        /** One row per statement (a JDBC batch): the tokens become parameters. */
        final String perRow;
        /** Every row in one statement: ids and texts come as two arrays of equal length, the rows written come back. */
        final String allRows;
        final JobState newState;

        /** Built once per kind of write (not per settlement): the hot path only binds. */
        Write(String set, String condition, JobState newState) {
            List<String> found = new ArrayList<>();
            Matcher matcher = TOKEN.matcher(set);
            while (matcher.find()) {
                found.add(matcher.group(1));
            }
            this.tokens = List.copyOf(found);
            this.scalarTokens = found.stream().filter(token -> !token.equals("text") && !token.equals("trace")).toList();
            this.traced = found.contains("trace");
            this.perRow = "UPDATE jobs SET " + TOKEN.matcher(set).replaceAll("?")
                    + " WHERE id = ? AND owner = ? AND state = 'RUNNING'" + condition;
            this.allRows = "UPDATE jobs SET " + set.replace(TEXT, "rows.text").replace(TRACE, "rows.trace")
                    .replace(BACKOFF, "?").replace(BACKOFF_MAX, "?").replace(NOW_TEXT, "?")
                    + (traced ? " FROM unnest(?::bigint[], ?::text[], ?::text[]) AS rows(id, text, trace)"
                              : " FROM unnest(?::bigint[], ?::text[]) AS rows(id, text)")
                    + " WHERE jobs.id = rows.id AND jobs.owner = ? AND jobs.state = 'RUNNING'" + condition + " RETURNING jobs.id";
            this.newState = newState;
        }
    }

    /** Runs the writes of one settlement and records which outcomes each wrote. */
    private final class Writer {

        private final String owner;
        private final long backoffMillis;
        private final long backoffMaxMillis;
        private final String now;
        private final Map<Outcome, JobState> written;

        Writer(String owner, long backoffMillis, long backoffMaxMillis, String now, Map<Outcome, JobState> written) {
            this.owner = owner;
            this.now = now;
            this.backoffMillis = backoffMillis;
            this.backoffMaxMillis = backoffMaxMillis;
            this.written = written;
        }

        /** Writes {@code rows}; records the ones written and returns the others (fenced off), in id order. */
        <T extends Outcome> List<T> write(Write write, List<T> rows, Function<T, String> text) {
            return write(write, rows, text, row -> null);
        }

        <T extends Outcome> List<T> write(Write write, List<T> rows, Function<T, String> text, Function<T, String> trace) {
            if (rows.isEmpty()) {
                return List.of();
            }
            // In id order, the order in which the lease heartbeat's "id IN (...)" locks the same rows: two
            // transactions that lock rows in one order wait for each other but cannot deadlock.
            List<T> byId = rows.stream().sorted(Comparator.comparingLong(Outcome::id)).toList();
            return arrays ? writeAll(write, byId, text, trace) : writeEach(write, byId, text, trace);
        }

        private <T extends Outcome> List<T> writeEach(Write write, List<T> rows, Function<T, String> text,
                                                      Function<T, String> trace) {
            int[] counts = jdbc.batchUpdate(write.perRow, new BatchPreparedStatementSetter() {
                @Override
                public void setValues(PreparedStatement ps, int i) throws SQLException {
                    T row = rows.get(i);
                    int index = 1;
                    for (String token : write.tokens) {
                        bindToken(ps, index++, token, row, text, trace);
                    }
                    ps.setLong(index, row.id());
                    ps.setString(index + 1, owner);
                }

                @Override
                public int getBatchSize() {
                    return rows.size();
                }
            });
            List<T> missed = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                int count = counts[i];
                if (count == Statement.SUCCESS_NO_INFO) {
                    // Without a count, a fenced write cannot be told from a done one; failing rolls the whole
                    // settlement back instead of reporting a completion that may not have happened.
                    throw new IllegalStateException("The JDBC driver did not report update counts for a batch"
                            + " (SUCCESS_NO_INFO), so fencing cannot be verified; do not enable batch rewriting"
                            + " options such as PostgreSQL's reWriteBatchedInserts for the queue's DataSource");
                }
                if (count > 0) {
                    written.put(rows.get(i), write.newState);
                } else {
                    missed.add(rows.get(i));
                }
            }
            return missed;
        }

        /**
         * One statement for all rows. An UPDATE writes a row once however many array entries match it, so an id that
         * occurs twice goes to a second statement, where it is fenced like the second of two batched writes would be.
         */
        private <T extends Outcome> List<T> writeAll(Write write, List<T> rows, Function<T, String> text,
                                                     Function<T, String> trace) {
            Set<T> missed = Collections.newSetFromMap(new IdentityHashMap<>());
            List<T> pending = rows;
            while (!pending.isEmpty()) {
                Map<Long, T> distinct = new LinkedHashMap<>();
                List<T> repeated = new ArrayList<>();
                for (T row : pending) {
                    if (distinct.putIfAbsent(row.id(), row) != null) {
                        repeated.add(row);
                    }
                }
                Set<Long> done = new HashSet<>();
                jdbc.query(connection -> {
                    PreparedStatement ps = connection.prepareStatement(write.allRows);
                    int index = 1;
                    for (String token : write.scalarTokens) {
                        bindToken(ps, index++, token, null, text, trace);
                    }
                    ps.setArray(index++, connection.createArrayOf("bigint", distinct.keySet().toArray()));
                    ps.setArray(index++, connection.createArrayOf("text", distinct.values().stream().map(text).toArray()));
                    if (write.traced) {
                        ps.setArray(index++, connection.createArrayOf("text", distinct.values().stream().map(trace).toArray()));
                    }
                    ps.setString(index, owner);
                    return ps;
                }, (RowCallbackHandler) rs -> done.add(rs.getLong(1)));
                for (T row : distinct.values()) {
                    if (done.contains(row.id())) {
                        written.put(row, write.newState);
                    } else {
                        missed.add(row);
                    }
                }
                pending = repeated;
            }
            return rows.stream().filter(missed::contains).toList();
        }

        private <T extends Outcome> void bindToken(PreparedStatement ps, int index, String token, T row,
                                                   Function<T, String> text, Function<T, String> trace) throws SQLException {
            switch (token) {
                case "text" -> setNullable(ps, index, text.apply(row));
                case "trace" -> setNullable(ps, index, JobHistory.boundTrace(trace.apply(row)));
                case "now" -> ps.setString(index, now);
                case "backoff" -> ps.setLong(index, backoffMillis);
                case "backoffMax" -> ps.setLong(index, backoffMaxMillis);
                default -> throw new IllegalArgumentException(token);
            }
        }
    }

    private static void setNullable(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }
}

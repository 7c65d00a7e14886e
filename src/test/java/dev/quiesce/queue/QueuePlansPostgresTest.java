package dev.quiesce.queue;

import dev.quiesce.testing.PostgresTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hot path's plans on PostgreSQL stay cheap when the planner's statistics are wrong, as they are for a queue most
 * of the time: here the table was analyzed while it held a backlog of 5,000 jobs scheduled for later (so "no row is
 * ready"), and then the backlog fell due. Without care, the claim then reads and
 * sorts the whole backlog on every call (the benchmark's case: jobs enqueued with a run_at a few seconds ahead). Each
 * statement runs under EXPLAIN ANALYZE, in a transaction that is rolled back, and no plan node may touch more rows
 * than a small multiple of what the statement asks for.
 */
class QueuePlansPostgresTest {

    private static final int BACKLOG = 5_000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static QueueTestDatabase database;
    private static JdbcTemplate jdbc;

    @BeforeAll
    static void analyzedWhileTheBacklogWasScheduledThenItFellDue() {
        PostgresTestServer server = PostgresTestServer.locate("the queue's plans");
        database = QueueTestDatabase.migrate(server.url(), server.user(), server.password(), "queue_plans", "postgresql");
        jdbc = new JdbcTemplate(database.dataSource());
        jdbc.update("INSERT INTO jobs (type, state, payload, max_attempts, created_at, run_at)"
                + " SELECT 'echo', 'QUEUED', '{}', 3, now(), now() + INTERVAL '1 hour' FROM generate_series(1, ?)", BACKLOG);
        jdbc.execute("ANALYZE jobs");
        jdbc.update("UPDATE jobs SET run_at = now() - INTERVAL '1 second' WHERE state = 'QUEUED'");
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @Test
    void theClaimReadsTheHeadOfTheBacklogNotAllOfIt() {
        JobClaimer claimer = new JobClaimer(jdbc, database.dialect());

        JsonNode plan = explainInClaimingTransaction(claimer.claimStatement(10, 2), "owner-1", 30_000L, "\n2026-12-06T00:00:00Z claimed by owner-1 (attempt ", "echo", "other");

        assertThat(rowsTouchedByTheWorstNode(plan)).as("rows read by one plan node, claiming 10 of %s queued:%n%s",
                BACKLOG, plan.toPrettyString()).isLessThanOrEqualTo(50);
        assertThat(plan.at("/0/Plan/Actual Rows").asLong()).isEqualTo(10);
    }

    @Test
    void aSettlementReadsTheRowsItWritesNotTheBacklog() {
        List<Long> running = jdbc.queryForList("UPDATE jobs SET state = 'RUNNING', owner = 'owner-2' WHERE id IN"
                + " (SELECT id FROM jobs WHERE state = 'QUEUED' ORDER BY id LIMIT 20) RETURNING id", Long.class);

        JsonNode plan = explain("UPDATE jobs SET state = 'SUCCEEDED', result = rows.text, finished_at = now() FROM"
                        + " unnest(?::bigint[], ?::text[]) AS rows(id, text) WHERE jobs.id = rows.id AND jobs.owner = ?"
                        + " AND jobs.state = 'RUNNING' RETURNING jobs.id",
                running.toArray(Long[]::new), new String[running.size()], "owner-2");

        assertThat(rowsTouchedByTheWorstNode(plan)).as("settling 20:%n%s", plan.toPrettyString()).isLessThanOrEqualTo(100);
    }

    private JsonNode explainInClaimingTransaction(String sql, Object... args) {
        return inRolledBackTransaction(() -> {
            database.dialect().prepareTransaction(JdbcClient.create(jdbc), false, true);
            return explainNow(sql, args);
        });
    }

    private JsonNode explain(String sql, Object... args) {
        return inRolledBackTransaction(() -> explainNow(sql, args));
    }

    private JsonNode explainNow(String sql, Object... args) {
        String json = jdbc.query(connection -> {
            var statement = connection.prepareStatement("EXPLAIN (ANALYZE, FORMAT JSON) " + sql);
            for (int i = 0; i < args.length; i++) {
                Object arg = args[i];
                if (arg instanceof Long[] ids) {
                    statement.setArray(i + 1, connection.createArrayOf("bigint", ids));
                } else if (arg instanceof String[] texts) {
                    statement.setArray(i + 1, connection.createArrayOf("text", texts));
                } else {
                    statement.setObject(i + 1, arg);
                }
            }
            return statement;
        }, rs -> {
            rs.next();
            return rs.getString(1);
        });
        return JSON.readTree(json);
    }

    private static JsonNode inRolledBackTransaction(Supplier<JsonNode> work) {
        TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(database.dataSource()));
        return transactions.execute(status -> {
            status.setRollbackOnly();
            return work.get();
        });
    }

    /** The most rows any one node produced or filtered away, over all its loops. */
    private static long rowsTouchedByTheWorstNode(JsonNode explained) {
        List<JsonNode> nodes = new ArrayList<>();
        collect(explained.at("/0/Plan"), nodes);
        return nodes.stream().mapToLong(node -> (node.path("Actual Rows").asLong() + node.path("Rows Removed by Filter").asLong()
                + node.path("Rows Removed by Index Recheck").asLong()) * Math.max(1, node.path("Actual Loops").asLong()))
                .max().orElseThrow();
    }

    private static void collect(JsonNode node, List<JsonNode> into) {
        into.add(node);
        node.path("Plans").forEach(child -> collect(child, into));
    }
}

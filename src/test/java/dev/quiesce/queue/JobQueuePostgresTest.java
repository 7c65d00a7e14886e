package dev.quiesce.queue;

import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The queue contract on PostgreSQL. Order of preference: the server CI promises through
 * {@code QUIESCE_TEST_PG_URL} (unreachable = failure, not a skip), else the local default server, else a
 * Testcontainers PostgreSQL where Docker runs, else a loud skip.
 */
class JobQueuePostgresTest extends JobQueueContract {

    private static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/quiesce_test";
    private static final String SCHEMA = "queue_contract";

    private PostgreSQLContainer container;

    @Override
    QueueTestDatabase openDatabase() {
        String promised = System.getenv("QUIESCE_TEST_PG_URL");
        String url = promised != null ? promised : DEFAULT_URL;
        String user = envOr("QUIESCE_TEST_PG_USER", "quiesce");
        String password = envOr("QUIESCE_TEST_PG_PASSWORD", "quiesce");
        SQLException unreachable = probe(url, user, password);
        if (unreachable == null) {
            return QueueTestDatabase.migrate(url, user, password, SCHEMA, "postgresql");
        }
        if (promised != null) {
            throw new IllegalStateException("QUIESCE_TEST_PG_URL=" + promised + " is set but unreachable", unreachable);
        }
        if (DockerClientFactory.instance().isDockerAvailable()) {
            container = new PostgreSQLContainer("postgres:15-alpine");
            container.start();
            return QueueTestDatabase.migrate(container.getJdbcUrl(), container.getUsername(), container.getPassword(),
                    SCHEMA, "postgresql");
        }
        String message = "SKIPPED: PostgreSQL queue contract NOT RUN: no server at " + url + " (" + unreachable.getMessage()
                + ") and no Docker for Testcontainers. Set QUIESCE_TEST_PG_URL/_USER/_PASSWORD to run it.";
        System.err.println("\n*** " + message + " ***\n");
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    @Override
    void closeDatabase() {
        super.closeDatabase();
        if (container != null) {
            container.stop();
        }
    }

    private static SQLException probe(String url, String user, String password) {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", "3");
        properties.setProperty("loginTimeout", "5");
        try (Connection ignored = DriverManager.getConnection(url, properties)) {
            return null;
        } catch (SQLException e) {
            return e;
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}

package dev.quiesce.testing;

import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Finds the PostgreSQL server a test runs against. Order of preference: the server CI promises through
 * {@code QUIESCE_TEST_PG_URL} (unreachable = failure, not a skip), else the local default server, else a
 * Testcontainers PostgreSQL where Docker runs (started once per JVM), else a loud skip.
 */
public record PostgresTestServer(String url, String user, String password) {

    private static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/quiesce_test";
    private static PostgreSQLContainer container;

    public static synchronized PostgresTestServer locate(String whatNeedsIt) {
        String promised = System.getenv("QUIESCE_TEST_PG_URL");
        String url = promised != null ? promised : DEFAULT_URL;
        String user = envOr("QUIESCE_TEST_PG_USER", "quiesce");
        String password = envOr("QUIESCE_TEST_PG_PASSWORD", "quiesce");
        SQLException unreachable = probe(url, user, password);
        if (unreachable == null) {
            return new PostgresTestServer(url, user, password);
        }
        if (promised != null) {
            throw new IllegalStateException("QUIESCE_TEST_PG_URL=" + promised + " is set but unreachable", unreachable);
        }
        if (DockerClientFactory.instance().isDockerAvailable()) {
            if (container == null) {
                container = new PostgreSQLContainer("postgres:15-alpine");
                container.start();
            }
            return new PostgresTestServer(container.getJdbcUrl(), container.getUsername(), container.getPassword());
        }
        String message = "SKIPPED: " + whatNeedsIt + " NOT RUN on PostgreSQL: no server at " + url + " ("
                + unreachable.getMessage() + ") and no Docker for Testcontainers. Set QUIESCE_TEST_PG_URL/_USER/_PASSWORD to run it.";
        System.err.println("\n*** " + message + " ***\n");
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    /** A JDBC URL whose connections use {@code schema}, dropped and created empty first (one schema per test class). */
    public String freshSchemaUrl(String schema) {
        try (Connection connection = DriverManager.getConnection(url, user, password);
             Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            statement.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare schema " + schema + " on " + url, e);
        }
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
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

package dev.quiesce.fleet;

import com.zaxxer.hikari.HikariDataSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Opens connections of their own to the database the pool connects to (same URL, credentials, driver properties,
 * schema and init SQL), for a session that lives as long as the instance: a pooled connection held for good would
 * starve the pool, and Hikari would retire it under the session's feet (max-lifetime).
 */
final class DedicatedConnections {

    /** A listener that cannot reach the database waits this long, not pgjdbc's default (10 s), before retrying. */
    private static final String CONNECT_TIMEOUT_SECONDS = "5";
    /**
     * A statement on a link that went silent fails after this instead of hanging; waits for notifications set their
     * own, shorter timeout.
     */
    private static final String SOCKET_TIMEOUT_SECONDS = "10";

    private final String url;
    private final Properties properties;
    private final String schema;
    private final String initSql;

    private DedicatedConnections(String url, Properties properties, String schema, String initSql) {
        this.url = url;
        this.properties = properties;
        this.schema = schema;
        this.initSql = initSql;
    }

    /** From a HikariCP pool configured with a JDBC URL; null when the pool is not one (then nothing can listen). */
    static DedicatedConnections of(javax.sql.DataSource dataSource) {
        HikariDataSource hikari;
        try {
            if (!dataSource.isWrapperFor(HikariDataSource.class)) {
                return null;
            }
            hikari = dataSource.unwrap(HikariDataSource.class);
        } catch (SQLException e) {
            return null;
        }
        if (hikari.getJdbcUrl() == null) {
            return null;
        }
        Properties properties = new Properties();
        properties.putAll(hikari.getDataSourceProperties());
        if (hikari.getUsername() != null) {
            properties.setProperty("user", hikari.getUsername());
        }
        if (hikari.getPassword() != null) {
            properties.setProperty("password", hikari.getPassword());
        }
        properties.putIfAbsent("connectTimeout", CONNECT_TIMEOUT_SECONDS);
        properties.putIfAbsent("socketTimeout", SOCKET_TIMEOUT_SECONDS);
        properties.putIfAbsent("tcpKeepAlive", "true");
        return new DedicatedConnections(hikari.getJdbcUrl(), properties, hikari.getSchema(), hikari.getConnectionInitSql());
    }

    /** A new autocommit connection, named {@code applicationName} in {@code pg_stat_activity}. */
    Connection open(String applicationName) throws SQLException {
        Properties named = new Properties();
        named.putAll(properties);
        named.setProperty("ApplicationName", applicationName);
        Connection connection = DriverManager.getConnection(url, named);
        try {
            if (schema != null) {
                connection.setSchema(schema);
            }
            if (initSql != null && !initSql.isBlank()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute(initSql);
                }
            }
            connection.setAutoCommit(true);
            return connection;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    @Override
    public String toString() {
        return url;
    }
}

package dev.quiesce.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.util.UUID;

/**
 * A database with the service's Flyway migrations of {@code db/migration/<vendor>} applied to a clean schema,
 * without a Spring context: for contract tests of one JDBC class, run unchanged on H2 and PostgreSQL.
 */
public final class MigratedDatabase implements AutoCloseable {

    private final HikariDataSource dataSource;

    private MigratedDatabase(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** An in-memory H2 of its own. */
    public static MigratedDatabase h2(String name) {
        // DB_CLOSE_ON_EXIT=FALSE as in production: H2's shutdown hook must not close it under a running test.
        return migrate("jdbc:h2:mem:" + name + "-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;DB_CLOSE_ON_EXIT=FALSE",
                "sa", "", null, "h2");
    }

    /**
     * A schema of its own on the test PostgreSQL server (so other test classes sharing the database, and their
     * Flyway clean, never touch these tables); skips loudly where there is none (see {@link PostgresTestServer}).
     */
    public static MigratedDatabase postgres(String schema, String whatNeedsIt) {
        PostgresTestServer server = PostgresTestServer.locate(whatNeedsIt);
        return migrate(server.url(), server.user(), server.password(), schema, "postgresql");
    }

    /**
     * Any database: {@code schema} is a schema of its own (PostgreSQL) or null (H2); {@code vendor} names the
     * migrations' folder ({@code h2}, {@code postgresql}).
     */
    public static MigratedDatabase migrate(String url, String user, String password, String schema, String vendor) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(8);
        config.setPoolName("migrated-" + vendor);
        if (schema != null) {
            config.setSchema(schema);
        }
        HikariDataSource dataSource = new HikariDataSource(config);
        var flyway = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/" + vendor).cleanDisabled(false);
        if (schema != null) {
            flyway.schemas(schema).createSchemas(true);
        }
        Flyway migrations = flyway.load();
        migrations.clean();
        migrations.migrate();
        return new MigratedDatabase(dataSource);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}

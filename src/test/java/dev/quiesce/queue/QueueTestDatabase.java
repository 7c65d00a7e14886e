package dev.quiesce.queue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;

/**
 * A migrated database for the queue contract, without a Spring context: a pool, the dialect, and the
 * Flyway migrations of {@code db/migration/<vendor>} applied to a clean schema once per test class.
 */
final class QueueTestDatabase implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final SqlDialect dialect;

    private QueueTestDatabase(HikariDataSource dataSource, SqlDialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    /**
     * @param schema for PostgreSQL, a schema of its own, so that other test classes sharing the database
     *               (and their Flyway clean) never touch these tables; null for H2
     */
    static QueueTestDatabase migrate(String url, String user, String password, String schema, String vendor) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(8);
        config.setPoolName("queue-contract-" + vendor);
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
        return new QueueTestDatabase(dataSource, SqlDialect.of(dataSource));
    }

    DataSource dataSource() {
        return dataSource;
    }

    SqlDialect dialect() {
        return dialect;
    }

    void deleteAll() {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        jdbc.update("DELETE FROM jobs");
        jdbc.update("DELETE FROM workers");
    }

    @Override
    public void close() {
        dataSource.close();
    }
}

package dev.quiesce.queue;

import dev.quiesce.testing.MigratedDatabase;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;

/**
 * A migrated database for the queue contract, without a Spring context: a pool, the dialect, and the
 * Flyway migrations of {@code db/migration/<vendor>} applied to a clean schema once per test class.
 */
final class QueueTestDatabase implements AutoCloseable {

    private final MigratedDatabase database;
    private final DataSource dataSource;
    private final SqlDialect dialect;

    private QueueTestDatabase(MigratedDatabase database, SqlDialect dialect) {
        this.database = database;
        this.dataSource = database.dataSource();
        this.dialect = dialect;
    }

    /**
     * @param schema for PostgreSQL, a schema of its own, so that other test classes sharing the database
     *               (and their Flyway clean) never touch these tables; null for H2
     */
    static QueueTestDatabase migrate(String url, String user, String password, String schema, String vendor) {
        MigratedDatabase database = MigratedDatabase.migrate(url, user, password, schema, vendor);
        return new QueueTestDatabase(database, SqlDialect.of(database.dataSource()));
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
        jdbc.update("UPDATE fleet SET quiet = FALSE");
    }

    @Override
    public void close() {
        database.close();
    }
}

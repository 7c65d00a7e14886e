package dev.quiesce.retention;

import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

import javax.sql.DataSource;
import java.util.Locale;

/**
 * The two ways a batch of old rows is taken, by database. On PostgreSQL one statement locks its batch with
 * {@code FOR UPDATE SKIP LOCKED} and deletes it, so concurrent sweepers of a fleet take disjoint batches and never
 * wait for each other. H2 locks every row matching a {@code FOR UPDATE} before it applies the LIMIT (see the queue's
 * claim), so there the batch's ids are read without a lock and deleted with the condition repeated: a row another
 * sweeper deleted meanwhile is simply not deleted (nor counted) again. An embedded H2 belongs to one process.
 */
enum SweepDialect {

    H2 {
        @Override
        String before(String millis) {
            return "DATEADD(MILLISECOND, -CAST(" + millis + " AS BIGINT), CURRENT_TIMESTAMP)";
        }

        @Override
        boolean locksBatchInOneStatement() {
            return false;
        }
    },

    POSTGRESQL {
        @Override
        String before(String millis) {
            return "(CURRENT_TIMESTAMP - CAST(" + millis + " AS BIGINT) * INTERVAL '1 millisecond')";
        }

        @Override
        boolean locksBatchInOneStatement() {
            return true;
        }
    };

    /** SQL for the database's now minus {@code millis} milliseconds (a parameter). */
    abstract String before(String millis);

    /** Whether a batch is selected with {@code FOR UPDATE SKIP LOCKED} and deleted in one statement. */
    abstract boolean locksBatchInOneStatement();

    static SweepDialect of(DataSource dataSource) {
        try {
            String product = JdbcUtils.extractDatabaseMetaData(dataSource, metaData -> metaData.getDatabaseProductName());
            String name = product == null ? "" : product.toLowerCase(Locale.ROOT);
            if (name.contains("h2")) {
                return H2;
            }
            if (name.contains("postgres")) {
                return POSTGRESQL;
            }
            throw new IllegalStateException("The retention sweep supports H2 and PostgreSQL, not '" + product + "'");
        } catch (MetaDataAccessException e) {
            throw new IllegalStateException("Cannot tell which database the retention sweep runs on", e);
        }
    }
}

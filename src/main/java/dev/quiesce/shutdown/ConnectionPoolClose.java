package dev.quiesce.shutdown;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;

/**
 * Closes the connection pool at the end of the last phase; {@link ShutdownReporter} waits for it only until a
 * deadline. Spring would close it afterwards, at bean destruction, with no deadline at all: a pool whose database
 * is unreachable waits there for its connection attempts to give up (HikariCP: up to its connection timeout),
 * which can push the exit past the budget. Closing twice is harmless: the pool's second close returns at once.
 */
final class ConnectionPoolClose implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ConnectionPoolClose.class);

    private final DataSource dataSource;

    ConnectionPoolClose(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void run() {
        if (!(dataSource instanceof AutoCloseable pool)) {
            return;
        }
        try {
            pool.close();
        } catch (Exception e) {
            log.warn("Closing the connection pool failed: {}", e.toString());
        }
    }
}

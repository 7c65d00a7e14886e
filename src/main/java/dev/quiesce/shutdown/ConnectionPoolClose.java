package dev.quiesce.shutdown;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.time.Duration;

/**
 * Closes the connection pool at the end of the last phase, waiting for it only until a deadline. Spring would
 * close it afterwards, at bean destruction, with no deadline at all: a pool whose database is unreachable waits
 * there for its connection attempts to give up (HikariCP: up to its connection timeout), which can push the exit
 * past the budget. Closing twice is harmless: the pool's second close returns at once.
 */
final class ConnectionPoolClose {

    private static final Logger log = LoggerFactory.getLogger(ConnectionPoolClose.class);

    private final DataSource dataSource;

    ConnectionPoolClose(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    void closeBy(Deadline deadline) {
        if (!(dataSource instanceof AutoCloseable pool)) {
            return;
        }
        Thread thread = Thread.ofPlatform().daemon(true).name("quiesce-pool-close").start(() -> {
            try {
                pool.close();
            } catch (Exception e) {
                log.warn("Closing the connection pool failed: {}", e.toString());
            }
        });
        try {
            if (!thread.join(deadline.remaining().isZero() ? Duration.ofMillis(1) : deadline.remaining())) {
                log.warn("The connection pool did not close by the exit deadline (is the database reachable?); exiting"
                        + " without waiting for it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("Interrupted while closing the connection pool; exiting without waiting for it");
        }
    }
}

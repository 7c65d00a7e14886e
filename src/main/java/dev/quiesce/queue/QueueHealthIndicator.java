package dev.quiesce.queue;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@code queue} health component: UP when the {@code jobs} table answers a query that reads one index
 * entry at most within {@link #TIMEOUT}, DOWN with the error otherwise. It is in the readiness group: an
 * instance that cannot reach its queue should get no traffic, but restarting it would not bring the database
 * back, so it is not in liveness.
 *
 * <p>The check runs on a virtual thread and is awaited {@link #TIMEOUT} at most, because a dead database
 * can hold a caller much longer than that (the pool waits its {@code connection-timeout} for a connection). A
 * probe that comes while an earlier check still hangs waits on that one instead of starting another.
 */
final class QueueHealthIndicator implements HealthIndicator {

    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final JdbcTemplate jdbc;
    private final SqlDialect dialect;
    private final Duration timeout;
    private CompletableFuture<Void> check = CompletableFuture.completedFuture(null);

    QueueHealthIndicator(DataSource dataSource, SqlDialect dialect) {
        this(dataSource, dialect, TIMEOUT);
    }

    QueueHealthIndicator(DataSource dataSource, SqlDialect dialect, Duration timeout) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.jdbc.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
        this.dialect = dialect;
        this.timeout = timeout;
    }

    @Override
    public Health health() {
        long started = System.nanoTime();
        Health.Builder health;
        try {
            current().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            health = Health.up();
        } catch (TimeoutException e) {
            health = Health.down().withDetail("error", "the jobs table did not answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            health = Health.down(e.getCause() instanceof Exception cause ? cause : e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            health = Health.unknown().withDetail("error", "interrupted while checking the jobs table");
        }
        return health.withDetail("dialect", dialect.name())
                .withDetail("tookMs", Duration.ofNanos(System.nanoTime() - started).toMillis())
                .build();
    }

    private synchronized CompletableFuture<Void> current() {
        if (check.isDone()) {
            check = CompletableFuture.runAsync(this::query, command -> Thread.ofVirtual().name("quiesce-queue-health").start(command));
        }
        return check;
    }

    private void query() {
        // The primary key index answers this without reading any row, whatever the size of the queue.
        jdbc.queryForList("SELECT id FROM jobs WHERE id = -1", Long.class);
    }
}

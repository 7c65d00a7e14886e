package dev.quiesce.child;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code childPool} health component: DOWN while the pool is degraded (too many crash restarts; no
 * child-routed job is claimed until it is resumed), UP otherwise.
 */
final class ChildPoolHealthIndicator implements HealthIndicator {

    private final ChildPool pool;

    ChildPoolHealthIndicator(ChildPool pool) {
        this.pool = pool;
    }

    @Override
    public Health health() {
        Health.Builder health = pool.isDegraded() ? Health.down() : Health.up();
        return health.withDetail("degraded", pool.isDegraded())
                .withDetail("restarts", pool.recentRestarts())
                .withDetail("idle", pool.idle())
                .withDetail("children", pool.children())
                .build();
    }
}

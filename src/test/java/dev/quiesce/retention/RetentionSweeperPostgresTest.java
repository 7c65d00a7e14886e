package dev.quiesce.retention;

import dev.quiesce.testing.MigratedDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The retention sweep on PostgreSQL, in a schema of its own (skips loudly without a server), plus what only
 * PostgreSQL's row locks can show: a sweep steps over rows another transaction holds instead of waiting for it.
 */
class RetentionSweeperPostgresTest extends RetentionSweeperContract {

    @Override
    MigratedDatabase openDatabase() {
        return MigratedDatabase.postgres("retention_contract", "the retention sweep");
    }

    @Test
    void aSweepStepsOverRowsLockedElsewhereInsteadOfWaitingAndTakesThemNextTime() throws Exception {
        List<Long> old = finishedJobs("SUCCEEDED", Duration.ofDays(8), 20);
        RetentionSweeper sweeper = sweeper(properties(1000), new SimpleMeterRegistry());
        try (Connection holder = database.dataSource().getConnection(); Statement lock = holder.createStatement()) {
            holder.setAutoCommit(false);
            lock.execute("SELECT id FROM jobs WHERE id IN (" + old.get(0) + ", " + old.get(1) + ") FOR UPDATE");

            SweepResult whileLocked = CompletableFuture.supplyAsync(() -> sweeper.sweep(NO_PAUSE)).get(30, TimeUnit.SECONDS);

            assertThat(whileLocked.jobs()).isEqualTo(18);
            holder.rollback();
        }

        assertThat(sweeper.sweep(NO_PAUSE).jobs()).isEqualTo(2);
        assertThat(jobIds()).isEmpty();
    }
}

package dev.quiesce.queue;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The queue's gauges on an in-memory H2, and H2's plan for them: through an index that leads with the state. */
class QueueBacklogH2Test extends QueueBacklogContract {

    @Override
    QueueTestDatabase openDatabase() {
        String url = "jdbc:h2:mem:backlog-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;DB_CLOSE_ON_EXIT=FALSE";
        return QueueTestDatabase.migrate(url, "sa", "", null, "h2");
    }

    @Test
    void h2ReadsOnlyTheQueuedAndRunningRangesOfAStateIndex() {
        String plan = String.join("\n", jdbc.queryForList("EXPLAIN " + QueueBacklog.BACKLOG, String.class));

        assertThat(plan).doesNotContainIgnoringCase("tableScan").doesNotContainIgnoringCase("JOBS_TYPE_NEWEST")
                .containsIgnoringCase("STATE = 'QUEUED'").containsIgnoringCase("STATE = 'RUNNING'");
    }
}

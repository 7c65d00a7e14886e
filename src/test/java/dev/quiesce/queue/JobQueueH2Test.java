package dev.quiesce.queue;

import java.util.UUID;

/** The queue contract on an in-memory H2 (the default database of a single instance). */
class JobQueueH2Test extends JobQueueContract {

    @Override
    QueueTestDatabase openDatabase() {
        // DB_CLOSE_ON_EXIT=FALSE as in production: H2's shutdown hook must not close it under a running test.
        String url = "jdbc:h2:mem:queue-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;DB_CLOSE_ON_EXIT=FALSE";
        return QueueTestDatabase.migrate(url, "sa", "", null, "h2");
    }
}

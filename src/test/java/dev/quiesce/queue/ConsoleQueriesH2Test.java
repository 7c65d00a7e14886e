package dev.quiesce.queue;

import java.util.UUID;

/** {@link ConsoleQueriesContract} on an in-memory H2. */
class ConsoleQueriesH2Test extends ConsoleQueriesContract {

    @Override
    QueueTestDatabase openDatabase() {
        String url = "jdbc:h2:mem:console-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;DB_CLOSE_ON_EXIT=FALSE";
        return QueueTestDatabase.migrate(url, "sa", "", null, "h2");
    }
}

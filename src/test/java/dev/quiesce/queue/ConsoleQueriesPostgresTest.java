package dev.quiesce.queue;

import dev.quiesce.testing.PostgresTestServer;

/** {@link ConsoleQueriesContract} on PostgreSQL, in a schema of its own. */
class ConsoleQueriesPostgresTest extends ConsoleQueriesContract {

    @Override
    QueueTestDatabase openDatabase() {
        PostgresTestServer server = PostgresTestServer.locate("the console's queries");
        return QueueTestDatabase.migrate(server.url(), server.user(), server.password(), "console_queries", "postgresql");
    }
}

package dev.quiesce.queue;

import dev.quiesce.testing.PostgresTestServer;

/**
 * The queue contract on PostgreSQL, in a schema of its own; {@link PostgresTestServer} says which server
 * (CI's promised one, the local default, Testcontainers) or skips loudly.
 */
class JobQueuePostgresTest extends JobQueueContract {

    private static final String SCHEMA = "queue_contract";

    @Override
    QueueTestDatabase openDatabase() {
        PostgresTestServer server = PostgresTestServer.locate("the queue contract");
        return QueueTestDatabase.migrate(server.url(), server.user(), server.password(), SCHEMA, "postgresql");
    }
}

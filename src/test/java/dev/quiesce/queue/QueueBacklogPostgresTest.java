package dev.quiesce.queue;

import dev.quiesce.testing.PostgresTestServer;

/** The queue's gauges on PostgreSQL, in a schema of their own (skips loudly without a server). */
class QueueBacklogPostgresTest extends QueueBacklogContract {

    @Override
    QueueTestDatabase openDatabase() {
        PostgresTestServer server = PostgresTestServer.locate("the queue's gauges");
        return QueueTestDatabase.migrate(server.url(), server.user(), server.password(), "queue_backlog", "postgresql");
    }
}

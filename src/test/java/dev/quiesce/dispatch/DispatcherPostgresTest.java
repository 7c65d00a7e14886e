package dev.quiesce.dispatch;

import dev.quiesce.testing.PostgresTestServer;

import java.nio.file.Path;
import java.util.Map;

class DispatcherPostgresTest extends DispatcherContract {

    @Override
    Map<String, Object> databaseProperties(Path dataDir) {
        PostgresTestServer server = PostgresTestServer.locate("the dispatcher contract");
        return Map.of(
                "spring.datasource.url", server.freshSchemaUrl("dispatcher_contract"),
                "spring.datasource.username", server.user(),
                "spring.datasource.password", server.password());
    }
}

package dev.quiesce.dispatch;

import java.nio.file.Path;
import java.util.Map;

class DispatcherH2Test extends DispatcherContract {

    @Override
    Map<String, Object> databaseProperties(Path dataDir) {
        return Map.of();
    }
}

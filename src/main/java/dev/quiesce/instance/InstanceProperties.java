package dev.quiesce.instance;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.nio.file.Path;

/**
 * Who this instance is and where it keeps its files. The data directory is checked when it is locked
 * ({@link DataDirectory}): it must be creatable and not held by another live instance.
 *
 * @param dataDir      the instance's own directory: the embedded database, the child ledger, scratch
 *                     directories. One live instance per directory (a lock file enforces it)
 * @param instanceName a stable name for this instance across restarts; unset means
 *                     HOSTNAME:DATA-DIR (the absolute path). A restart under the same name hands back at
 *                     once the jobs its previous incarnation still held
 */
@Validated
@ConfigurationProperties("quiesce")
public record InstanceProperties(
        @NotNull(message = "a writable directory such as ./data")
        @DefaultValue("./data") Path dataDir,
        String instanceName) {
}

package dev.quiesce.instance;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;

/**
 * Who this instance is and where it keeps its files.
 *
 * @param dataDir      the instance's own directory: the embedded database, the child ledger, scratch
 *                     directories. One live instance per directory (a lock file enforces it).
 * @param instanceName a stable name for this instance across restarts; unset means
 *                     {@code <hostname>:<absolute data dir>}. A restart under the same name hands back at
 *                     once the jobs its previous incarnation still held.
 */
@ConfigurationProperties("quiesce")
public record InstanceProperties(@DefaultValue("./data") Path dataDir, String instanceName) {
}

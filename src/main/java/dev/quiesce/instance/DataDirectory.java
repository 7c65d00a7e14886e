package dev.quiesce.instance;

import dev.quiesce.settings.InvalidConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The instance's data directory, locked for the life of the JVM. The lock is what makes the instance
 * name safe to reuse across restarts: while we hold it, no other live process is this instance, so
 * whatever an earlier incarnation left (leases, children) is truly orphaned. The OS drops the lock when
 * the process dies, SIGKILL included.
 */
public final class DataDirectory {

    private static final Logger log = LoggerFactory.getLogger(DataDirectory.class);

    private final Path path;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataDirectory(Path path, FileChannel lockChannel, FileLock lock) {
        this.path = path;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * @throws InvalidConfigurationException naming {@code quiesce.data-dir} when it cannot be created or another live
     *                                       process holds it
     */
    public static DataDirectory lock(Path configured) {
        Path path = configured.toAbsolutePath().normalize();
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new InvalidConfigurationException("quiesce.data-dir is " + path + ", which cannot be created ("
                    + e + ").", "Set quiesce.data-dir to a directory this user can create and write.", e);
        }
        try {
            FileChannel channel = FileChannel.open(path.resolve("instance.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new InvalidConfigurationException("quiesce.data-dir is " + path
                        + ", which another running instance holds (its instance.lock is locked).",
                        "Stop that instance, or give this one its own quiesce.data-dir.");
            }
            log.debug("Locked data directory {}", path);
            return new DataDirectory(path, channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock quiesce.data-dir " + path, e);
        }
    }

    public Path path() {
        return path;
    }

    /** Releases the lock; the last thing an instance does with its directory. */
    public void unlock() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            // Safe to ignore: the OS releases the lock at process exit anyway.
            log.debug("Could not release the data directory lock: {}", e.toString());
        }
    }
}

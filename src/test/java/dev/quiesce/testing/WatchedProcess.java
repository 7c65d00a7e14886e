package dev.quiesce.testing;

/**
 * A process a test started and {@link QuiesceProcesses} looks after: killed after the test if it still runs,
 * its log shown when the test failed.
 */
public interface WatchedProcess extends AutoCloseable {

    ProcessLog log();

    /** Kills whatever of the process still runs; never throws. */
    @Override
    void close();
}

package dev.quiesce.child.worker;

import java.io.File;
import java.io.IOException;

/**
 * This process's pid, for the hello frame. On Linux it is read from the {@code /proc/self} link, because
 * the first use of {@link ProcessHandle} starts the JDK's process-reaper machinery, which costs a fresh
 * JVM tens of milliseconds on the way to its hello.
 */
final class SelfPid {

    private SelfPid() {
    }

    static long get() {
        try {
            return Long.parseLong(new File("/proc/self").getCanonicalFile().getName());
        } catch (IOException | NumberFormatException e) {
            return ProcessHandle.current().pid(); // no /proc (not Linux): the JDK knows
        }
    }
}

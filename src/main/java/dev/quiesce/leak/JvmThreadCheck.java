package dev.quiesce.leak;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * At shutdown: every live non-daemon platform thread other than the JVM's own is a {@code thread} leak. By the
 * audit phase every part of the service has stopped its threads (the web servers theirs, the dispatcher and the
 * child pool theirs, all daemons anyway), so a non-daemon thread left is someone's that was never stopped — the
 * kind of thread that keeps a JVM alive after {@code main} returns. The JVM's own: the thread running this
 * audit, {@code DestroyJavaVM}, and the threads taking part in the JVM's exit (the signal handler thread that
 * called it, the shutdown hooks it runs).
 */
final class JvmThreadCheck implements LeakCheck {

    private static final Set<String> JVM_THREADS = Set.of("DestroyJavaVM");
    private static final Set<String> EXIT_CLASSES = Set.of("java.lang.Shutdown", "java.lang.ApplicationShutdownHooks",
            "org.springframework.boot.SpringApplicationShutdownHook");

    @Override
    public String name() {
        return "non-daemon threads";
    }

    @Override
    public void check(Leaks leaks) {
        Thread self = Thread.currentThread();
        for (Map.Entry<Thread, StackTraceElement[]> entry : Thread.getAllStackTraces().entrySet()) {
            Thread thread = entry.getKey();
            if (thread == self || thread.isDaemon() || !thread.isAlive() || JVM_THREADS.contains(thread.getName())
                    || takesPartInExit(entry.getValue())) {
                continue;
            }
            leaks.detected(LeakKind.THREAD, thread, "non-daemon thread '" + thread.getName() + "' (" + thread.getState()
                    + ") still running at shutdown", thread::isAlive);
        }
    }

    private static boolean takesPartInExit(StackTraceElement[] stack) {
        return Arrays.stream(stack).anyMatch(frame -> EXIT_CLASSES.contains(frame.getClassName()));
    }
}

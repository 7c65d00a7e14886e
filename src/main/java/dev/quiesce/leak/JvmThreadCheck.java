package dev.quiesce.leak;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * At shutdown: every live non-daemon platform thread started after the service became ready, other than the
 * JVM's own, is a {@code thread} leak — the kind of thread that keeps a JVM alive after {@code main} returns. By
 * the audit phase every part of the service has stopped the threads it started while serving (the dispatcher
 * and the child pool theirs, all daemons anyway). Threads already running when the service became ready are its
 * infrastructure and are left out: the management server's, which closes with its own context after this phase.
 * The JVM's own: the thread running this audit, {@code DestroyJavaVM}, and the threads taking part in the JVM's
 * exit (the signal handler thread that called it, the shutdown hooks it runs).
 */
final class JvmThreadCheck implements LeakCheck {

    private volatile Set<Thread> atReady = Set.of();

    private static final Set<String> JVM_THREADS = Set.of("DestroyJavaVM");
    private static final Set<String> EXIT_CLASSES = Set.of("java.lang.Shutdown", "java.lang.ApplicationShutdownHooks",
            "org.springframework.boot.SpringApplicationShutdownHook");

    /** Notes the threads running now (call once the service is ready): they are not counted. */
    void baseline() {
        atReady = Collections.newSetFromMap(new WeakHashMap<>());
        atReady.addAll(Thread.getAllStackTraces().keySet());
    }

    @Override
    public String name() {
        return "non-daemon threads";
    }

    @Override
    public void check(Leaks leaks) {
        Thread self = Thread.currentThread();
        for (Map.Entry<Thread, StackTraceElement[]> entry : Thread.getAllStackTraces().entrySet()) {
            Thread thread = entry.getKey();
            if (thread == self || thread.isDaemon() || !thread.isAlive() || atReady.contains(thread) || JVM_THREADS.contains(thread.getName())
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

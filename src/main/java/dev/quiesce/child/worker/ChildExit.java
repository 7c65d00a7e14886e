package dev.quiesce.child.worker;

import java.util.concurrent.TimeUnit;

/**
 * Every way out of the child that it controls: kill the descendants, say why on stderr, halt. Halting
 * (not {@code System.exit}) keeps a task's shutdown hooks or threads from delaying the exit; the budget
 * for reaping is short because "parent gone" must end the child within 100 ms.
 */
final class ChildExit {

    /**
     * Reaping before exit is a courtesy (whoever inherits the zombies reaps them after we are gone);
     * keeping it short keeps "parent gone" within 100 ms.
     */
    private static final long REAP_BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(30);

    private final Descendants descendants;

    ChildExit(Descendants descendants) {
        this.descendants = descendants;
    }

    void halt(ChildExitCode code, String why) {
        int killed = descendants.killAll(REAP_BUDGET_NANOS, true);
        // A StringBuilder, not '+': the first use of a concatenation site costs a fresh JVM its bootstrap,
        // milliseconds this path does not have when the parent is gone.
        StringBuilder line = new StringBuilder("exit ").append(code.code()).append(": ").append(why);
        if (killed > 0) {
            line.append("; killed ").append(killed).append(" descendant(s)");
        }
        ChildLog.line(line.toString());
        System.err.flush();
        Runtime.getRuntime().halt(code.code());
    }

    /**
     * The shutdown hook's part, for SIGTERM (also the parent-death signal), SIGHUP and a task's
     * {@code System.exit}: kill the descendants and let the JVM finish exiting with the status it
     * already has (143 for SIGTERM, the task's code for {@code System.exit}). It does not halt, because
     * halting would replace that status with one it cannot know.
     */
    Thread shutdownHook() {
        return new KillDescendantsHook(descendants);
    }

    /** A named class, not a lambda: it is created on the way to the hello, where a lambda costs time. */
    private static final class KillDescendantsHook extends Thread {

        private final Descendants descendants;

        KillDescendantsHook(Descendants descendants) {
            super("quiesce-child-exit");
            this.descendants = descendants;
        }

        @Override
        public void run() {
            int killed = descendants.killAll(REAP_BUDGET_NANOS, true);
            if (killed > 0) {
                ChildLog.line("exiting: killed " + killed + " descendant(s)");
            }
        }
    }
}

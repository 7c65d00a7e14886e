package dev.quiesce.child.worker;

/**
 * Lines the child writes to stderr, each prefixed {@code quiesce-child: } so that the parent, which
 * forwards the child's stderr to its log, can tell them from a task's own output and parse the ones it
 * counts (see {@link Descendants#LEFTOVER_LINE}).
 */
final class ChildLog {

    static final String PREFIX = "quiesce-child: ";

    private ChildLog() {
    }

    static void line(String message) {
        System.err.println(PREFIX.concat(message)); // concat(), not '+': may run before the hello, see ChildMain
    }
}

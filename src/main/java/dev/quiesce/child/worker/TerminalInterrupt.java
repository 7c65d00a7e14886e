package dev.quiesce.child.worker;

import sun.misc.Signal;

/**
 * Ctrl+C in a terminal sends SIGINT to the whole foreground process group. The service starts children
 * in their own session where it can, so the signal does not reach them; where it cannot, this makes the
 * child ignore SIGINT, because only the service decides when a child stops (Shutdown frame, SIGTERM,
 * its own death). {@code sun.misc.Signal} is the JDK's supported-but-unofficial way to do that
 * (module {@code jdk.unsupported}).
 */
final class TerminalInterrupt {

    private TerminalInterrupt() {
    }

    static void ignore() {
        try {
            Signal.handle(new Signal("INT"), signal -> ChildLog.line("ignoring SIGINT: the service decides when this child stops"));
        } catch (IllegalArgumentException e) {
            // The JVM was started with -Xrs or SIGINT is already ignored: nothing to do, say so.
            ChildLog.line("SIGINT handling left as is: " + e.getMessage());
        }
    }
}

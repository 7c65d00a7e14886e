package dev.quiesce.child.worker;

/**
 * The messages between the service and a child JVM, over the child's stdin (service → child) and stdout
 * (child → service). Encoded by {@link FrameCodec}.
 */
public sealed interface Frame {

    /** Child → service, first frame: the child is ready to take a task. */
    record Hello(long pid) implements Frame {
    }

    /** Service → child: run one task. {@code payload} is the job's JSON text. */
    record Task(long jobId, int attempt, String type, String payload) implements Frame {
    }

    /** Child → service: the task ended; {@code text} is the result when {@code ok}, else the error. */
    record Result(long jobId, boolean ok, String text) implements Frame {
        /**
         * In a failed result's text, between the one-line summary and the task's stack trace (bounded to
         * {@link #MAX_TRACE_CHARS}); the service stores the two apart.
         */
        public static final String TRACE_SEPARATOR = "\n--- stack trace ---\n";
        public static final int MAX_TRACE_CHARS = 16_000;
    }

    /** Service → child: stop the task (interrupt it); the child answers with a failed {@link Result}. */
    record Cancel(long jobId) implements Frame {
    }

    /** Service → child: finish the current task, if any, then exit 0. */
    record Shutdown() implements Frame {
    }

    /**
     * Child → service, after each task: resident memory and tasks served, for recycling decisions, and what
     * the task left behind that the child cleaned up — processes it killed and zombies (adopted processes that
     * had exited on their own) it reaped — for the service to count as leaks.
     */
    record Stats(long rssBytes, long tasksServed, int leftoversKilled, int zombiesReaped) implements Frame {

        public Stats(long rssBytes, long tasksServed) {
            this(rssBytes, tasksServed, 0, 0);
        }
    }
}

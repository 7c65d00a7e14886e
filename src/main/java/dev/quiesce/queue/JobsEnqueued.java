package dev.quiesce.queue;

/**
 * Published after a committed enqueue so that the local dispatcher wakes at once instead of polling — and, on
 * PostgreSQL, when another instance signalled jobs ready ({@code elsewhere}): enqueued there, or handed back.
 *
 * @param count     jobs enqueued here; 0 when not known (elsewhere)
 * @param elsewhere true if the jobs became ready on another instance (a NOTIFY on {@link #CHANNEL}), so this one must
 *                  not signal them again
 */
public record JobsEnqueued(int count, boolean elsewhere) {

    /** The PostgreSQL NOTIFY channel on which instances tell each other that jobs are ready (empty payload). */
    public static final String CHANNEL = "quiesce_jobs";

    /** Jobs enqueued on this instance. */
    public JobsEnqueued(int count) {
        this(count, false);
    }

    /** Jobs became ready on another instance. */
    public static JobsEnqueued fromElsewhere() {
        return new JobsEnqueued(0, true);
    }
}

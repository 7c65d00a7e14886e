package dev.quiesce.queue;

/**
 * Published after a committed enqueue so that the local dispatcher wakes at once instead of polling — and, on
 * PostgreSQL, when another instance signalled jobs ready ({@code elsewhere}): enqueued there, or handed back.
 * Only jobs that are due wake anyone: a claim cannot take a job scheduled for later, and the poll finds it once it
 * falls due (a claim per enqueue of scheduled jobs would read every scheduled row for nothing).
 *
 * @param count     jobs enqueued here; 0 when not known (elsewhere)
 * @param due       of those, jobs that may run at once (no run_at, or one not after their creation, both on the
 *                  database clock); when elsewhere, 1
 * @param elsewhere true if the jobs became ready on another instance (a NOTIFY on {@link #CHANNEL}), so this one must
 *                  not signal them again
 */
public record JobsEnqueued(int count, int due, boolean elsewhere) {

    /** The PostgreSQL NOTIFY channel on which instances tell each other that jobs are ready (empty payload). */
    public static final String CHANNEL = "quiesce_jobs";

    /** Jobs enqueued on this instance, {@code due} of them due now. */
    public JobsEnqueued(int count, int due) {
        this(count, due, false);
    }

    /** Jobs became ready on another instance. */
    public static JobsEnqueued fromElsewhere() {
        return new JobsEnqueued(0, 1, true);
    }

    /** Whether a claim now may find any of them. */
    public boolean anyDue() {
        return due > 0;
    }
}

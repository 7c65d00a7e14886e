package dev.quiesce.dispatch;

/**
 * How many jobs a runner claims ahead of its free slots: enough that short jobs never wait for a database
 * round trip, few enough that a claimed job waits here at most about {@link #HORIZON_NANOS} — so long jobs
 * are not hoarded by one instance while another sits idle. Sized from the runner's recent job durations (an
 * exponentially weighted mean), capped by {@code quiesce.worker.prefetch}; nothing is claimed ahead until a
 * job has finished here, and a runner whose jobs take longer than the horizon claims only what it can start.
 * Updated on the dispatcher's loop thread, read on the exchange's.
 */
final class Prefetch {

    /** About how long a job claimed ahead may wait for a free slot. */
    static final long HORIZON_NANOS = 20_000_000L;
    private static final double WEIGHT = 0.05;

    private final int max;
    private volatile double meanNanos = Double.NaN;

    Prefetch(int max) {
        this.max = max;
    }

    /** Records how long a job ran (started to finished). */
    void observe(long nanos) {
        double mean = meanNanos;
        meanNanos = Double.isNaN(mean) ? nanos : mean + WEIGHT * (nanos - mean);
    }

    /** Jobs to hold ahead for a runner of {@code slots} slots. */
    int size(int slots) {
        double mean = meanNanos;
        if (max == 0 || Double.isNaN(mean)) {
            return 0;
        }
        double ahead = slots * HORIZON_NANOS / Math.max(mean, 1_000.0);
        return (int) Math.min(max, Math.floor(ahead));
    }
}

package dev.quiesce.api;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;

/** What a running in-process job sees of its execution: who it is, cancellation, a scratch directory, progress. */
public interface JobContext {

    long jobId();

    /** 1 for the first attempt. */
    int attempt();

    /** True once cancellation was requested (client cancel, shutdown, lost lease, timeout); the thread is interrupted too. */
    boolean isCancelled();

    /** @throws CancellationException when {@link #isCancelled()} */
    default void throwIfCancelled() {
        if (isCancelled()) {
            throw new CancellationException("job " + jobId() + " was cancelled");
        }
    }

    /**
     * A private directory for this attempt, created on first use and removed when the attempt ends. Files a job
     * leaves in it are removed and counted as a leak ({@code scratch_dir}): a job should clean up after itself.
     */
    Path scratchDir() throws IOException;

    /** Reports progress in [0, 1] (clamped); shown while the job runs. */
    void progress(double fraction);
}

package dev.quiesce.job;

import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;

/** What a running job sees of its execution: its payload, cancellation, a scratch directory, progress. */
public interface JobContext {

    long jobId();

    /** 1 for the first attempt. */
    int attempt();

    JsonNode payload();

    /** True once cancellation was requested (client cancel, shutdown, lost lease, timeout). */
    boolean isCancelled();

    /** @throws CancellationException when {@link #isCancelled()} */
    default void throwIfCancelled() {
        if (isCancelled()) {
            throw new CancellationException("job " + jobId() + " was cancelled");
        }
    }

    /** A private directory for this attempt, created on first use and removed when the attempt ends. */
    Path scratchDir() throws IOException;

    /** Reports progress in [0, 1]; shown while the job runs. */
    void progress(double fraction);
}

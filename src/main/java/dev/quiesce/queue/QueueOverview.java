package dev.quiesce.queue;

import dev.quiesce.api.JobState;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the console's overview shows, read in a few indexed queries (never a scan of the history):
 * jobs waiting and running by type, jobs finished in the last hour by type and state, a per-minute series of
 * the last hour, and the oldest ready job's age.
 */
public interface QueueOverview {

    Snapshot read();

    /**
     * @param active       QUEUED and RUNNING counts by type (types with none are absent)
     * @param lastHour     SUCCEEDED, FAILED and CANCELLED counts by type, finished within the last hour
     * @param minutes      the last 60 minutes, oldest first, every minute present
     * @param oldestReady  how long the oldest ready job has waited, zero when none waits
     * @param scheduled    QUEUED jobs whose run time is still ahead (retries in back-off, scheduled jobs)
     * @param failedTotal  FAILED jobs kept in the queue (until retention deletes them), counted up to 100,000
     */
    record Snapshot(Instant at, Map<String, Map<JobState, Long>> active, Map<String, Map<JobState, Long>> lastHour,
                    List<Minute> minutes, Duration oldestReady, long scheduled, long failedTotal) {
    }

    /** Jobs that finished in one minute (database clock), by outcome. */
    record Minute(Instant start, long succeeded, long failed, long cancelled) {
    }
}

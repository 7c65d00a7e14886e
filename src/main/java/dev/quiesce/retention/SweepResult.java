package dev.quiesce.retention;

/**
 * What one sweep deleted, by table, and the largest batch it deleted in one transaction.
 *
 * @param complete false if the sweep was stopped before it reached the end of every table
 */
record SweepResult(long jobs, long workers, long shutdownReports, int largestBatch, boolean complete) {

    long total() {
        return jobs + workers + shutdownReports;
    }
}

package dev.quiesce.api;

/** The states of a job (DESIGN §3). Names are public: they appear in the API, the database and metrics. */
public enum JobState {
    /** Waiting to be claimed, including a retry waiting for its back-off ({@code runAt}). */
    QUEUED,
    /** Claimed by one instance under a lease. */
    RUNNING,
    SUCCEEDED,
    /** Terminal: attempts exhausted, non-retryable, or quarantined. */
    FAILED,
    CANCELLED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}

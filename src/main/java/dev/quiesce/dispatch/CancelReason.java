package dev.quiesce.dispatch;

/** Why a running execution was asked to stop; it decides what its end is written as. */
enum CancelReason {
    /** A client asked: the job ends CANCELLED. */
    CLIENT,
    /** The instance is shutting down: the job is released back to QUEUED with its attempt refunded. */
    SHUTDOWN,
    /** Another instance reclaimed the job: whatever this execution produces is discarded. */
    LEASE_LOST
}

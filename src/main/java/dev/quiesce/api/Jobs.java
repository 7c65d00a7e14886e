package dev.quiesce.api;

import java.util.List;
import java.util.Optional;

/**
 * Enqueues jobs from the application's own code (a Spring bean: inject it). Every job is checked as the HTTP API
 * checks it — a known type, a payload that binds and validates, priority, attempts and {@code runAt} within bounds —
 * and a bad one is refused with an {@link InvalidJobException} before anything is written.
 *
 * <pre>{@code
 * JobStatus job = jobs.enqueue(JobSpec.of("resize", new Resize("cat.png", 640))
 *         .withIdempotencyKey("resize-cat-640")
 *         .withRunAt(Instant.now().plusSeconds(60)));
 * }</pre>
 */
public interface Jobs {

    /** Enqueues a job of {@code type} with default priority and attempts. */
    default JobStatus enqueue(String type, Object payload) {
        return enqueue(JobSpec.of(type, payload));
    }

    /**
     * Enqueues one job; with an idempotency key already used, returns that job instead ({@link JobStatus#created()}
     * false) and enqueues nothing.
     *
     * @throws InvalidJobException if the job is refused
     */
    JobStatus enqueue(JobSpec job);

    /**
     * Enqueues up to 1000 jobs in one transaction: all or none. Every job is checked before any is written.
     *
     * @throws InvalidJobException naming the first refused job ({@code jobs[3].payload.width: ...})
     */
    List<JobStatus> enqueueAll(List<JobSpec> jobs);

    /** The job with this id, if it exists. */
    Optional<JobStatus> find(long id);

    /**
     * Cancels a job: a queued one is {@code CANCELLED} at once; a running one is asked to stop (its handler sees
     * {@link JobContext#isCancelled()}, a child task is interrupted) and ends {@code CANCELLED} when it does; a finished
     * one is left as it is. Returns the job as it is after the request, empty if there is no such job.
     */
    Optional<JobStatus> cancel(long id);
}

package dev.quiesce.queue;

import dev.quiesce.api.JobSpec;
import dev.quiesce.api.JobStatus;
import dev.quiesce.api.Jobs;
import dev.quiesce.job.Job;
import dev.quiesce.job.JobAdmission;
import dev.quiesce.job.NewJob;
import dev.quiesce.job.PayloadBinder;
import dev.quiesce.queue.JobQueue.EnqueueResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** {@link Jobs} on this instance's queue: the checks of the HTTP API, then the same inserts. */
final class LocalJobs implements Jobs {

    private final JobQueue queue;
    private final JobAdmission admission;
    private final PayloadBinder binder;

    LocalJobs(JobQueue queue, JobAdmission admission, PayloadBinder binder) {
        this.queue = queue;
        this.admission = admission;
        this.binder = binder;
    }

    @Override
    public JobStatus enqueue(JobSpec job) {
        return status(queue.enqueue(admit(job, "")));
    }

    @Override
    public List<JobStatus> enqueueAll(List<JobSpec> jobs) {
        Objects.requireNonNull(jobs, "jobs");
        admission.checkBatchSize(jobs.size());
        List<NewJob> admitted = new ArrayList<>(jobs.size());
        for (int i = 0; i < jobs.size(); i++) {
            admitted.add(admit(Objects.requireNonNull(jobs.get(i), "jobs[" + i + "]"), "jobs[" + i + "]."));
        }
        return queue.enqueueAll(admitted).stream().map(LocalJobs::status).toList();
    }

    @Override
    public Optional<JobStatus> find(long id) {
        return queue.find(id).map(job -> status(job, false));
    }

    @Override
    public Optional<JobStatus> cancel(long id) {
        JobQueue.CancelResult result = queue.requestCancel(id);
        return result.outcome() == JobQueue.CancelResult.Outcome.NOT_FOUND ? Optional.empty()
                : Optional.of(status(result.job(), false));
    }

    private NewJob admit(JobSpec job, String prefix) {
        return admission.admit(job.type(), binder.toTree(job.payload()), job.priority(), job.maxAttempts(),
                job.idempotencyKey(), job.runAt(), prefix);
    }

    private static JobStatus status(EnqueueResult result) {
        return status(result.job(), result.created());
    }

    static JobStatus status(Job job, boolean created) {
        return new JobStatus(job.id(), job.type(), job.state(), job.payload(), job.priority(), job.attempts(),
                job.maxAttempts(), job.interruptions(), job.crashes(), job.result(), job.lastError(),
                job.idempotencyKey(), job.createdAt(), job.runAt(), job.startedAt(), job.finishedAt(), created);
    }
}

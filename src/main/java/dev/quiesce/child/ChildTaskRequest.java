package dev.quiesce.child;

/** One task for a child: the job, its attempt number, the task type and the job's JSON payload. */
public record ChildTaskRequest(long jobId, int attempt, String type, String payload) {
}

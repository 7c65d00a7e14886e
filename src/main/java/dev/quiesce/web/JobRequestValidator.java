package dev.quiesce.web;

import dev.quiesce.queue.JobPage;

import dev.quiesce.api.InvalidJobException;
import dev.quiesce.api.JobState;
import dev.quiesce.job.JobAdmission;
import dev.quiesce.job.NewJob;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns what a client sent into what the queue accepts, or rejects it with a detail that names the field
 * ({@code maxAttempts: ...}, or {@code jobs[3].type: ...} inside a batch) and says what would be valid.
 * It checks everything before anything is enqueued, so a bad request changes nothing.
 */
@Component
class JobRequestValidator {

    static final int MAX_BATCH = JobAdmission.MAX_BATCH;
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final JobAdmission admission;

    JobRequestValidator(JobAdmission admission) {
        this.admission = admission;
    }

    NewJob toNewJob(JobRequest request) {
        return toNewJob(request, "");
    }

    List<NewJob> toNewJobs(BatchRequest batch) {
        rejectUnknownFields(batch.unknownFields(), "", "jobs");
        List<JobRequest> requests = batch.jobs();
        admitted(() -> {
            admission.checkBatchSize(requests == null ? 0 : requests.size());
            return null;
        });
        List<NewJob> jobs = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            String prefix = "jobs[" + i + "].";
            JobRequest request = requests.get(i);
            if (request == null) {
                throw ProblemException.badRequest("jobs[" + i + "]: must be a job object, was null");
            }
            jobs.add(toNewJob(request, prefix));
        }
        return jobs;
    }

    /** The {@code state} filter of a list query; null when absent. Case does not matter. */
    JobState state(String state) {
        if (state == null || state.isEmpty()) {
            return null;
        }
        try {
            return JobState.valueOf(state.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("state: unknown state " + quoted(state) + "; valid states: "
                    + Arrays.stream(JobState.values()).map(Enum::name).collect(Collectors.joining(", ")));
        }
    }

    /** The {@code order} of a list query: newest (default) or oldest first. */
    JobPage.Order order(String order) {
        if (order == null || order.isEmpty()) {
            return JobPage.Order.NEWEST;
        }
        try {
            return JobPage.Order.valueOf(order.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("order: must be newest or oldest, was " + quoted(order));
        }
    }

    /** The {@code after} cursor of a list query (the {@code next} of the previous page); null when absent. */
    Long cursor(String after) {
        if (after == null || after.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(after);
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("after: " + quoted(after) + " is not a cursor; pass the next of a previous page");
        }
    }

    int limit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ProblemException.badRequest("limit: must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        return limit;
    }

    private NewJob toNewJob(JobRequest request, String prefix) {
        rejectUnknownFields(request.unknownFields(), prefix, JobRequest.KNOWN_FIELDS);
        return admitted(() -> admission.admit(request.type(), request.payload(), request.priority(), request.maxAttempts(),
                request.idempotencyKey(), request.runAt(), prefix));
    }

    private static <T> T admitted(java.util.function.Supplier<T> admission) {
        try {
            return admission.get();
        } catch (JobAdmission.PayloadTooLarge e) {
            throw ProblemException.payloadTooLarge(e.getMessage());
        } catch (InvalidJobException e) {
            throw ProblemException.badRequest(e.getMessage());
        }
    }

    /** Echoes client input in a detail, cut short so that a huge value does not come back whole. */
    static String quoted(String value) {
        return JobAdmission.quoted(value);
    }

    private static void rejectUnknownFields(Map<String, JsonNode> unknown, String prefix, String knownFields) {
        if (unknown != null && !unknown.isEmpty()) {
            String names = unknown.keySet().stream().map(name -> quoted(prefix + name))
                    .collect(Collectors.joining(", "));
            throw ProblemException.badRequest("unknown field " + names + "; known fields: " + knownFields);
        }
    }
}

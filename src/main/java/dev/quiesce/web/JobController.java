package dev.quiesce.web;

import dev.quiesce.job.Job;
import dev.quiesce.api.JobState;
import dev.quiesce.queue.JobQueue;
import dev.quiesce.queue.JobQueue.CancelResult;
import dev.quiesce.queue.JobQueue.EnqueueResult;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectMapper;

import java.net.URI;
import java.util.List;

/**
 * The jobs API (DESIGN §7): validates, calls the {@link JobQueue}, maps the answer. Errors are thrown and
 * rendered as problem+json by {@link ApiExceptionHandler}; request bodies are size-checked before parsing by
 * {@link RequestBodyLimit}.
 */
@RestController
@RequestMapping("/jobs")
class JobController {

    private final JobQueue queue;
    private final JobRequestValidator validator;
    private final ObjectMapper mapper;

    JobController(JobQueue queue, JobRequestValidator validator, ObjectMapper mapper) {
        this.queue = queue;
        this.validator = validator;
        this.mapper = mapper;
    }

    /** 201 with {@code Location} for a new job; 200 with the existing job for a repeated idempotency key. */
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<JobResponse> enqueue(@RequestBody JobRequest request) {
        EnqueueResult result = queue.enqueue(validator.toNewJob(request));
        JobResponse job = response(result.job());
        return result.created()
                ? ResponseEntity.created(URI.create("/jobs/" + job.id())).body(job)
                : ResponseEntity.ok(job);
    }

    /** All or nothing: every job is validated before any is enqueued. */
    @PostMapping(path = "/batch", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<JobsResponse> enqueueAll(@RequestBody BatchRequest request) {
        List<EnqueueResult> results = queue.enqueueAll(validator.toNewJobs(request));
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(new JobsResponse(results.stream().map(result -> response(result.job())).toList()));
    }

    @GetMapping("/{id}")
    JobResponse find(@PathVariable long id) {
        return queue.find(id).map(this::response).orElseThrow(() -> ProblemException.notFound(id));
    }

    /** Newest first. */
    @GetMapping
    JobsResponse list(@RequestParam(required = false) String state,
                      @RequestParam(required = false) String type,
                      @RequestParam(defaultValue = "" + JobRequestValidator.DEFAULT_LIMIT) int limit) {
        JobState wanted = validator.state(state);
        List<Job> jobs = queue.list(wanted, type == null || type.isEmpty() ? null : type, validator.limit(limit));
        return new JobsResponse(jobs.stream().map(this::response).toList());
    }

    /** 200 when cancelled at once, 202 when the running owner was asked to stop, 409 when already finished. */
    @PostMapping("/{id}/cancel")
    ResponseEntity<JobResponse> cancel(@PathVariable long id) {
        CancelResult result = queue.requestCancel(id);
        return switch (result.outcome()) {
            case CANCELLED -> ResponseEntity.ok(response(result.job()));
            case CANCEL_REQUESTED -> ResponseEntity.accepted().body(response(result.job()));
            case ALREADY_TERMINAL -> throw ProblemException.conflict("job " + id + " has already finished"
                    + (result.job() == null ? "" : " (" + result.job().state() + ")") + " and cannot be cancelled");
            case NOT_FOUND -> throw ProblemException.notFound(id);
        };
    }

    private JobResponse response(Job job) {
        return JobResponse.of(job, mapper);
    }
}

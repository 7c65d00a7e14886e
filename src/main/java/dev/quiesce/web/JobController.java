package dev.quiesce.web;

import dev.quiesce.job.Job;
import dev.quiesce.api.JobState;
import dev.quiesce.queue.JobFilter;
import dev.quiesce.queue.JobPage;
import dev.quiesce.queue.JobQueue;
import dev.quiesce.queue.JobQueue.CancelResult;
import dev.quiesce.queue.JobQueue.EnqueueResult;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
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
 * {@link RequestBodyLimit}. The annotations describe each operation's answers in the OpenAPI document
 * ({@link ApiDocumentation}); the error answers all operations share are added there.
 */
@RestController
@RequestMapping("/jobs")
@Tag(name = "jobs")
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
    @Operation(operationId = "enqueueJob", summary = "Enqueue a job")
    @ApiResponse(responseCode = "201", description = "Enqueued", headers = @Header(name = "Location",
            description = "/jobs/{id}", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "200", description = "The job already enqueued with this idempotency key")
    @ApiResponse(responseCode = "400", description = "Malformed JSON, a wrong or unknown field, an unknown type, "
            + "a payload its type refuses, a number out of range; nothing was enqueued")
    @ApiResponse(responseCode = "409", description = "The idempotency key is taken by a job of another type or payload")
    @ApiResponse(responseCode = "413", description = "The payload is over quiesce.queue.max-payload")
    @ApiResponse(responseCode = "415", description = "The body is not application/json")
    ResponseEntity<JobResponse> enqueue(@RequestBody JobRequest request) {
        EnqueueResult result = queue.enqueue(validator.toNewJob(request));
        JobResponse job = response(result.job());
        return result.created()
                ? ResponseEntity.created(URI.create("/jobs/" + job.id())).body(job)
                : ResponseEntity.ok(job);
    }

    /** All or nothing: every job is validated before any is enqueued. */
    @PostMapping(path = "/batch", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "enqueueJobs", summary = "Enqueue up to 1000 jobs, all or nothing")
    @ApiResponse(responseCode = "201", description = "All enqueued (or found by idempotency key), in request order")
    @ApiResponse(responseCode = "400", description = "Any job invalid (the detail names it: jobs[3].type ...), "
            + "or no jobs, or more than 1000; nothing was enqueued")
    @ApiResponse(responseCode = "409", description = "An idempotency key is taken by a job of another type or payload")
    @ApiResponse(responseCode = "413", description = "A payload over quiesce.queue.max-payload, or the whole body "
            + "over min(1000 × max-payload, 64 MiB)")
    @ApiResponse(responseCode = "415", description = "The body is not application/json")
    ResponseEntity<JobsResponse> enqueueAll(@RequestBody BatchRequest request) {
        List<EnqueueResult> results = queue.enqueueAll(validator.toNewJobs(request));
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(new JobsResponse(results.stream().map(result -> response(result.job())).toList()));
    }

    @GetMapping("/{id}")
    @Operation(operationId = "getJob", summary = "A job, with its progress, where it runs, its last stack trace and history")
    @ApiResponse(responseCode = "200", description = "The job")
    @ApiResponse(responseCode = "400", description = "The id is not an integer")
    @ApiResponse(responseCode = "404", description = "No such job")
    JobDetailResponse find(@PathVariable long id) {
        return queue.detail(id).map(detail -> JobDetailResponse.of(detail, mapper))
                .orElseThrow(() -> ProblemException.notFound(id));
    }

    /** One page, newest (default) or oldest first; {@code next} is the cursor of the following page. */
    @GetMapping
    @Operation(operationId = "listJobs", summary = "Jobs, a page at a time, newest or oldest first")
    @ApiResponse(responseCode = "200", description = "One page of jobs, and the cursor of the next page (null on the last)")
    @ApiResponse(responseCode = "400", description = "An unknown state or order, a limit out of range, a cursor that is not one")
    JobListResponse list(@Parameter(description = "only jobs in this state (any case)",
                                 schema = @Schema(implementation = JobState.class))
                         @RequestParam(required = false) String state,
                         @Parameter(description = "only jobs of this type") @RequestParam(required = false) String type,
                         @Parameter(description = "only the job with this idempotency key") @RequestParam(required = false) String key,
                         @Parameter(description = "only jobs whose last error contains this text")
                         @RequestParam(required = false) String error,
                         @Parameter(description = "newest (default) or oldest first",
                                 schema = @Schema(allowableValues = {"newest", "oldest"}))
                         @RequestParam(required = false) String order,
                         @Parameter(description = "the next of the previous page") @RequestParam(required = false) String after,
                         @Parameter(description = "at most this many", schema = @Schema(type = "integer",
                                 format = "int32", minimum = "1", maximum = "" + JobRequestValidator.MAX_LIMIT,
                                 defaultValue = "" + JobRequestValidator.DEFAULT_LIMIT))
                         @RequestParam(defaultValue = "" + JobRequestValidator.DEFAULT_LIMIT) int limit) {
        JobFilter filter = new JobFilter(validator.state(state), type, key, error);
        JobPage page = queue.page(filter, validator.order(order), validator.cursor(after), validator.limit(limit));
        return new JobListResponse(page.jobs().stream().map(this::response).toList(),
                page.next() == null ? null : page.next().toString());
    }

    /** 200 when cancelled at once, 202 when the running owner was asked to stop, 409 when already finished. */
    @PostMapping("/{id}/cancel")
    @Operation(operationId = "cancelJob", summary = "Cancel a job")
    @ApiResponse(responseCode = "200", description = "Cancelled (it was queued)")
    @ApiResponse(responseCode = "202", description = "Cancellation requested: it is running, and its owner stops it")
    @ApiResponse(responseCode = "400", description = "The id is not an integer")
    @ApiResponse(responseCode = "404", description = "No such job")
    @ApiResponse(responseCode = "409", description = "The job has already finished")
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

package dev.quiesce.web;

import dev.quiesce.api.JobState;
import dev.quiesce.queue.JobFilter;
import dev.quiesce.queue.JobQueue;
import dev.quiesce.queue.JobQueue.ActionResult;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectMapper;

/** What an operator does to jobs that went wrong: retry one or all that match, delete a finished one. */
@RestController
@RequestMapping("/jobs")
@Tag(name = "jobs")
class JobActionsController {

    private final JobQueue queue;
    private final JobRequestValidator validator;
    private final ObjectMapper mapper;

    JobActionsController(JobQueue queue, JobRequestValidator validator, ObjectMapper mapper) {
        this.queue = queue;
        this.validator = validator;
        this.mapper = mapper;
    }

    @PostMapping("/{id}/retry")
    @Operation(operationId = "retryJob", summary = "Run a failed or cancelled job again, with a fresh set of attempts")
    @ApiResponse(responseCode = "200", description = "Queued again, ready now")
    @ApiResponse(responseCode = "400", description = "The id is not an integer")
    @ApiResponse(responseCode = "404", description = "No such job")
    @ApiResponse(responseCode = "409", description = "The job is not FAILED or CANCELLED")
    JobResponse retry(@PathVariable long id) {
        ActionResult result = queue.retry(id);
        return switch (result.status()) {
            case DONE -> JobResponse.of(result.job(), mapper);
            case WRONG_STATE -> throw ProblemException.conflict("job " + id + " is " + result.job().state()
                    + "; only FAILED or CANCELLED jobs can be retried");
            case NOT_FOUND -> throw ProblemException.notFound(id);
        };
    }

    @PostMapping("/retry")
    @Operation(operationId = "retryJobs", summary = "Retry every FAILED or CANCELLED job the filter matches")
    @ApiResponse(responseCode = "200", description = "How many were queued again")
    @ApiResponse(responseCode = "400", description = "An unknown state, or a state that cannot be retried")
    RetriedResponse retryAll(@Parameter(description = "FAILED or CANCELLED; both when absent",
                                     schema = @Schema(allowableValues = {"FAILED", "CANCELLED"}))
                             @RequestParam(required = false) String state,
                             @Parameter(description = "only jobs of this type") @RequestParam(required = false) String type,
                             @Parameter(description = "only the job with this idempotency key")
                             @RequestParam(required = false) String key,
                             @Parameter(description = "only jobs whose last error contains this text")
                             @RequestParam(required = false) String error) {
        JobState wanted = validator.state(state);
        if (wanted != null && wanted != JobState.FAILED && wanted != JobState.CANCELLED) {
            throw ProblemException.badRequest("state: only FAILED or CANCELLED jobs can be retried, was " + wanted);
        }
        return new RetriedResponse(queue.retryAll(new JobFilter(wanted, type, key, error)));
    }

    @DeleteMapping("/{id}")
    @Operation(operationId = "deleteJob", summary = "Delete a finished job (SUCCEEDED, FAILED or CANCELLED)")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "400", description = "The id is not an integer")
    @ApiResponse(responseCode = "404", description = "No such job")
    @ApiResponse(responseCode = "409", description = "The job has not finished (cancel it first)")
    ResponseEntity<Void> delete(@PathVariable long id) {
        ActionResult result = queue.delete(id);
        return switch (result.status()) {
            case DONE -> ResponseEntity.noContent().build();
            case WRONG_STATE -> throw ProblemException.conflict("job " + id + " is " + result.job().state()
                    + "; only a finished job can be deleted (cancel it first)");
            case NOT_FOUND -> throw ProblemException.notFound(id);
        };
    }

    /** @param retried how many jobs went back to the queue */
    record RetriedResponse(int retried) {
    }
}

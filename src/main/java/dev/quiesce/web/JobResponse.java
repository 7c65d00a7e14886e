package dev.quiesce.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.quiesce.api.JobState;
import dev.quiesce.job.Job;
import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.time.Instant;

/**
 * A job as the API shows it (DESIGN §7). The field names are public. {@code payload} is the stored JSON
 * embedded as JSON; timestamps are ISO-8601 strings in UTC; null fields are written, not omitted (the OpenAPI
 * document says which may be null, and that every field is always present).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(requiredProperties = {"id", "type", "state", "payload", "priority", "attempts", "maxAttempts",
        "interruptions", "crashes", "owner", "result", "lastError", "createdAt", "runAt", "startedAt", "finishedAt"})
record JobResponse(
        long id,
        String type,
        @Schema(implementation = JobState.class) String state,
        JsonNode payload,
        int priority,
        int attempts,
        int maxAttempts,
        int interruptions,
        int crashes,
        @Schema(nullable = true, description = "the instance running it, or that ran it last") String owner,
        @Schema(nullable = true, description = "what the job returned") String result,
        @Schema(nullable = true) String lastError,
        @Schema(format = "date-time") String createdAt,
        @Schema(format = "date-time") String runAt,
        @Schema(format = "date-time", nullable = true) String startedAt,
        @Schema(format = "date-time", nullable = true) String finishedAt) {

    static JobResponse of(Job job, ObjectMapper mapper) {
        return new JobResponse(job.id(), job.type(), job.state().name(), ExactJson.parse(mapper, job.payload()),
                job.priority(), job.attempts(), job.maxAttempts(), job.interruptions(), job.crashes(),
                job.owner(), job.result(), job.lastError(),
                iso(job.createdAt()), iso(job.runAt()), iso(job.startedAt()), iso(job.finishedAt()));
    }

    // Formatted here, not by the mapper, so that no Jackson date setting can turn them into numbers.
    private static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}

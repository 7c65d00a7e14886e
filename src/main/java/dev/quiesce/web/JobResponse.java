package dev.quiesce.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.quiesce.job.Job;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.time.Instant;

/**
 * A job as the API shows it (DESIGN §7). The field names are public. {@code payload} is the stored JSON
 * embedded as JSON; timestamps are ISO-8601 strings in UTC; null fields are written, not omitted.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
record JobResponse(
        long id,
        String type,
        String state,
        JsonNode payload,
        int priority,
        int attempts,
        int maxAttempts,
        int interruptions,
        int crashes,
        String owner,
        String result,
        String lastError,
        String createdAt,
        String runAt,
        String startedAt,
        String finishedAt) {

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

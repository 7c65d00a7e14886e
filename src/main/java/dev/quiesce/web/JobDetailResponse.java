package dev.quiesce.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.quiesce.queue.JobDetail;
import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.ObjectMapper;

import java.util.List;

/**
 * {@code GET /jobs/{id}}: the job's fields ({@link JobResponse}) and what only one job's view carries: its progress,
 * where it runs, the last failure's stack trace, and its history.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
record JobDetailResponse(
        @JsonUnwrapped JobResponse job,
        @Schema(nullable = true, description = "what the job last reported, in [0, 1]; null if it never did")
        Double progress,
        @Schema(nullable = true, description = "where its current or last attempt ran: 'thread <name>' or 'child pid <pid>'")
        String runner,
        @Schema(nullable = true, description = "the stack trace of the last failed attempt (at most 16,000 characters)")
        String errorTrace,
        @Schema(description = "what happened to the job, oldest first (the oldest entries are dropped past 4,000 characters)")
        List<Event> history) {

    static JobDetailResponse of(JobDetail detail, ObjectMapper mapper) {
        return new JobDetailResponse(JobResponse.of(detail.job(), mapper), detail.progress(), detail.runner(),
                detail.errorTrace(), detail.history().stream().map(e -> new Event(e.at().toString(), e.what())).toList());
    }

    record Event(@Schema(format = "date-time") String at, String what) {
    }
}

package dev.quiesce.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/** One page of {@code GET /jobs}: the jobs, and the cursor to pass as {@code after} for the next page. */
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(requiredProperties = {"jobs", "next"})
record JobListResponse(List<JobResponse> jobs,
                       @Schema(nullable = true, description = "pass as after= for the next page; null on the last page")
                       String next) {
}

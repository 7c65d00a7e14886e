package dev.quiesce.web;

import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/** {@code {"jobs": [...]}}: the answer of a list query and of a batch enqueue. */
@Schema(requiredProperties = "jobs")
record JobsResponse(List<JobResponse> jobs) {
}

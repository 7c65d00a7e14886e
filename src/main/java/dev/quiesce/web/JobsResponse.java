package dev.quiesce.web;

import java.util.List;

/** {@code {"jobs": [...]}}: the answer of a list query and of a batch enqueue. */
record JobsResponse(List<JobResponse> jobs) {
}

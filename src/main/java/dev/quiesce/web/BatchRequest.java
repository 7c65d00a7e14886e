package dev.quiesce.web;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /jobs/batch}: {@code {"jobs": [ ... ]}}, enqueued all or nothing.
 *
 * @param unknownFields fields other than {@code jobs}, collected so that they are rejected (see {@link JobRequest})
 */
record BatchRequest(List<JobRequest> jobs, @JsonAnySetter Map<String, JsonNode> unknownFields) {
}

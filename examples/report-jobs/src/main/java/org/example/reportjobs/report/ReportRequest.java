package org.example.reportjobs.report;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * The payload of a {@code report} job. Quiesce binds the JSON to this record and checks the annotations when the job
 * is enqueued: {@code {"title": "Q3", "sections": [{"heading": "Sales", "rows": 0}]}} is refused with 400
 * {@code payload.sections[0].rows: must be greater than or equal to 1}, and nothing is written.
 *
 * @param title     the report's title
 * @param sections  what the report holds, in order
 * @param pauseMs   optional: a pause after each section, standing in for slow work (a query, a remote call), so that
 *                  progress and cancellation can be watched; 0 when absent
 */
public record ReportRequest(@NotBlank @Size(max = 200) String title,
                            @NotEmpty @Size(max = 100) List<@NotNull @Valid Section> sections,
                            @Min(0) @Max(60_000) Integer pauseMs) {

    public ReportRequest {
        // A missing primitive is refused (strict binding), so an optional number is a boxed one with a default.
        pauseMs = pauseMs == null ? 0 : pauseMs;
    }

    /**
     * @param heading the section's heading
     * @param rows    how many rows of figures the section has
     */
    public record Section(@NotBlank @Size(max = 200) String heading, @Min(1) @Max(100_000) int rows) {
    }
}

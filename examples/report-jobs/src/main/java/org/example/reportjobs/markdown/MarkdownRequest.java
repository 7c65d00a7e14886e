package org.example.reportjobs.markdown;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * The payload of a {@code markdown} job, as the service checks it at enqueue time ({@link MarkdownJobType}). The
 * child task reads the same JSON without this class ({@code MarkdownTask}): the child JVM has no Spring, no
 * Jackson and no Bean Validation, only the JDK, Quiesce's child API and this project's own libraries.
 *
 * @param documents the Markdown documents to render, in order
 * @param pauseMs   optional: a pause after each document, standing in for slow work, so that a drain can be watched;
 *                  0 when absent
 */
public record MarkdownRequest(@NotEmpty @Size(max = 50) List<@NotNull @Valid Document> documents,
                              @Min(0) @Max(60_000) Integer pauseMs) {

    /**
     * @param name     a file name for the document, {@code notes.md}
     * @param markdown its text (CommonMark)
     */
    public record Document(@NotBlank @Pattern(regexp = "[A-Za-z0-9._-]{1,100}", message = "must be a file name of letters, digits, '.', '_' and '-'") String name,
                           @NotNull @Size(max = 100_000) String markdown) {
    }
}

package org.example.reportjobs.markdown;

import dev.quiesce.api.ChildJobType;

/**
 * Declares the {@code markdown} job type to the service, so a payload is checked against {@link MarkdownRequest} when
 * the job is enqueued (400 naming the field, nothing written) instead of failing later in a child JVM. The work itself
 * is {@link org.example.reportjobs.markdown.task.MarkdownTask}, which runs in the child JVMs.
 */
public class MarkdownJobType implements ChildJobType<MarkdownRequest> {

    @Override
    public String type() {
        return "markdown";
    }

    @Override
    public String description() {
        return "Renders Markdown documents to HTML with commonmark in a child JVM; the result summarises what it rendered.";
    }

    @Override
    public void validate(MarkdownRequest payload) {
        long distinct = payload.documents().stream().map(MarkdownRequest.Document::name).distinct().count();
        if (distinct != payload.documents().size()) {
            throw new IllegalArgumentException("every document name must be different");
        }
    }
}

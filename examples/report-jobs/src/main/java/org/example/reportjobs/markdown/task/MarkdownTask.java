package org.example.reportjobs.markdown.task;

import dev.quiesce.api.child.ChildTask;
import dev.quiesce.api.child.TaskContext;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Heading;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

/**
 * Renders the {@code markdown} job's documents to HTML in a child JVM, with a library of this project's own
 * (commonmark, beside the plugin jar or inside the application jar). It imports no Spring: a child starts without it.
 * Listed in {@code META-INF/services/dev.quiesce.api.child.ChildTask}.
 *
 * <p>It reads the whole nested payload, {@code {"documents": [{"name": ..., "markdown": ...}], "pauseMs": 0}}, from
 * {@link TaskContext#payload()}; the service has checked it already ({@code MarkdownJobType}), so a malformed one here
 * is a bug and fails the job. The result is a one-line summary; a real task would store the HTML somewhere.
 */
public class MarkdownTask implements ChildTask {

    private final Parser parser = Parser.builder().build();
    private final HtmlRenderer renderer = HtmlRenderer.builder().build();

    @Override
    public String type() {
        return "markdown";
    }

    @Override
    public String run(TaskContext context) throws Exception {
        List<Map<String, Object>> documents = documents(context.payload());
        long pauseMs = context.optionalLong("pauseMs", 0, 60_000, 0);
        List<String> rendered = new ArrayList<>();
        long htmlBytes = 0;
        for (Map<String, Object> document : documents) {
            if (context.isCancelled()) {
                throw new CancellationException("cancelled after " + rendered.size() + " document(s)");
            }
            Node root = parser.parse((String) document.get("markdown"));
            Counts counts = new Counts();
            root.accept(counts);
            htmlBytes += renderer.render(root).getBytes(StandardCharsets.UTF_8).length;
            rendered.add(document.get("name") + " (" + counts.headings + " heading(s), " + counts.links + " link(s))");
            if (pauseMs > 0) {
                Thread.sleep(pauseMs); // a cancel interrupts the task thread
            }
        }
        return "rendered " + rendered.size() + " document(s) to " + htmlBytes + " bytes of HTML: " + String.join(", ", rendered);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> documents(Map<String, Object> payload) {
        if (!(payload.get("documents") instanceof List<?> list) || list.isEmpty()
                || !list.stream().allMatch(item -> item instanceof Map<?, ?> map && map.get("markdown") instanceof String)) {
            throw new IllegalArgumentException("payload.documents must be a non-empty array of {\"name\", \"markdown\"} objects");
        }
        return (List<Map<String, Object>>) list;
    }

    /** Counts what the summary names, walking the parsed document. */
    private static final class Counts extends AbstractVisitor {
        int headings;
        int links;

        @Override
        public void visit(Heading heading) {
            headings++;
            visitChildren(heading);
        }

        @Override
        public void visit(Link link) {
            links++;
            visitChildren(link);
        }
    }
}

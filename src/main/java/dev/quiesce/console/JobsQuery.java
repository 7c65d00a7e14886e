package dev.quiesce.console;

import dev.quiesce.api.JobState;
import dev.quiesce.queue.JobFilter;
import dev.quiesce.queue.JobPage;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The jobs page's filter as it appears in the URL ({@code state, type, key, error, order}), so that a view can be
 * bookmarked and shared; blank fields mean "any". Builds the filter for the queue and the URLs of the same view
 * (the next page, the live table).
 */
public record JobsQuery(JobState state, String type, String key, String error, String order) {

    static final String NEWEST = "newest";
    static final String OLDEST = "oldest";

    public JobsQuery {
        type = blankToNull(type);
        key = blankToNull(key);
        error = blankToNull(error);
        order = OLDEST.equalsIgnoreCase(order) ? OLDEST : NEWEST;
    }

    JobFilter filter() {
        return new JobFilter(state, type, key, error);
    }

    JobPage.Order pageOrder() {
        return OLDEST.equals(order) ? JobPage.Order.OLDEST : JobPage.Order.NEWEST;
    }

    /** Whether "retry all matching" can match anything: only failed and cancelled jobs are retried. */
    public boolean retryable() {
        return state == null || state == JobState.FAILED || state == JobState.CANCELLED;
    }

    /** {@code /console/jobs} with this filter (the default order left out), then {@code name, value} pairs. */
    String url(Object... extra) {
        List<String> pairs = new ArrayList<>();
        add(pairs, "state", state == null ? null : state.name());
        add(pairs, "type", type);
        add(pairs, "key", key);
        add(pairs, "error", error);
        add(pairs, "order", OLDEST.equals(order) ? order : null);
        for (int i = 0; i + 1 < extra.length; i += 2) {
            add(pairs, String.valueOf(extra[i]), extra[i + 1] == null ? null : String.valueOf(extra[i + 1]));
        }
        return "/console/jobs" + (pairs.isEmpty() ? "" : "?" + String.join("&", pairs));
    }

    /** Form encoding, as the filter form itself sends it ("a+b" must come back as "a+b", not "a b"). */
    private static void add(List<String> pairs, String name, String value) {
        if (value != null) {
            pairs.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}

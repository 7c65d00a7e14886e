package dev.quiesce.console;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;

import dev.quiesce.api.JobState;
import dev.quiesce.queue.JobPage;
import dev.quiesce.queue.JobQueue;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.view.RedirectView;

import java.util.Arrays;

/**
 * The jobs page ({@code /console/jobs}): a filter kept in the URL, one page of {@value #PAGE_SIZE} jobs with a
 * cursor to the next (any number of jobs, not capped), the first page refreshed live, and "retry all matching".
 */
@Controller
@ConditionalOnBooleanProperty(name = ConsoleProperties.ENABLED, matchIfMissing = true)
class JobsPageController {

    static final int PAGE_SIZE = 50;

    private final JobQueue queue;

    JobsPageController(JobQueue queue) {
        this.queue = queue;
    }

    @GetMapping("/console/jobs")
    String jobs(@RequestParam(required = false) JobState state, @RequestParam(required = false) String type,
            @RequestParam(required = false) String key, @RequestParam(required = false) String error,
            @RequestParam(required = false) String order, @RequestParam(required = false) Long after,
            @RequestParam(name = ConsoleModel.FRAGMENT, required = false) String fragment, Model model) {
        JobsQuery query = new JobsQuery(state, type, key, error, order);
        JobPage page = queue.page(query.filter(), query.pageOrder(), after, PAGE_SIZE);
        model.addAttribute("query", query);
        model.addAttribute("states", Arrays.stream(JobState.values()).map(Enum::name).toList());
        model.addAttribute("jobs", page.jobs().stream().map(JobRow::of).toList());
        model.addAttribute("nextUrl", page.next() == null ? null : query.url("after", page.next()));
        model.addAttribute("firstUrl", after == null ? null : query.url());
        // Only the first page moves under the reader's eyes; a later page stays put while it is read.
        model.addAttribute("liveUrl", after == null ? query.url(ConsoleModel.FRAGMENT, "table") : null);
        return fragment != null ? "console/jobs :: table" : "console/jobs";
    }

    @PostMapping("/console/jobs/retry")
    RedirectView retryAll(@RequestParam(required = false) JobState state, @RequestParam(required = false) String type,
            @RequestParam(required = false) String key, @RequestParam(required = false) String error,
            @RequestParam(required = false) String order, HttpServletRequest request, HttpServletResponse response) {
        JobsQuery query = new JobsQuery(state, type, key, error, order);
        String message;
        if (!query.retryable()) {
            message = "Only failed or cancelled jobs can be retried; the filter asks for " + state + " jobs.";
        } else {
            int retried = queue.retryAll(query.filter());
            message = retried == 0 ? "No failed or cancelled job matches the filter; nothing was retried."
                    : retried == 1 ? "1 job queued again." : retried + " jobs queued again.";
        }
        return Flash.redirect(query.url(), message, request, response);
    }
}

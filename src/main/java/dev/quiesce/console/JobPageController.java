package dev.quiesce.console;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;

import dev.quiesce.queue.JobDetail;
import dev.quiesce.queue.JobQueue;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.ObjectMapper;

import java.util.Optional;

/**
 * A job's page ({@code /console/jobs/{id}}): state, payload, counters, where it runs, progress, the last error with
 * its stack trace, its history and result, and the actions its state allows. Refreshes itself while the job is
 * queued or running; an unknown id is a 404 page.
 */
@Controller
@ConditionalOnBooleanProperty(name = ConsoleProperties.ENABLED, matchIfMissing = true)
class JobPageController {

    private final JobQueue queue;
    private final ObjectMapper json;

    JobPageController(JobQueue queue, ObjectMapper json) {
        this.queue = queue;
        this.json = json;
    }

    @GetMapping("/console/jobs/{id}")
    String job(@PathVariable long id, @RequestParam(name = ConsoleModel.FRAGMENT, required = false) String fragment,
            Model model, HttpServletResponse response) {
        Optional<JobDetail> detail = queue.detail(id);
        if (detail.isEmpty()) {
            response.setStatus(HttpStatus.NOT_FOUND.value());
            model.addAttribute("id", id);
            return "console/job-not-found";
        }
        model.addAttribute("view", JobView.of(detail.get(), json));
        return fragment != null ? "console/job :: live" : "console/job";
    }
}

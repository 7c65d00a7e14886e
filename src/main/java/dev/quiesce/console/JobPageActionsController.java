package dev.quiesce.console;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;

import dev.quiesce.queue.JobQueue;
import dev.quiesce.queue.JobQueue.ActionResult;
import dev.quiesce.queue.JobQueue.CancelResult;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.view.RedirectView;

/**
 * The buttons of a job's page: retry, cancel, delete. Each calls the queue once and answers 303 back to a page with
 * a sentence saying what happened, including why nothing did (the job moved on meanwhile). Only an
 * {@link ConsoleRole#OPERATOR} gets here ({@link ConsoleSecurityConfiguration}).
 */
@Controller
@ConditionalOnBooleanProperty(name = ConsoleProperties.ENABLED, matchIfMissing = true)
class JobPageActionsController {

    private final JobQueue queue;

    JobPageActionsController(JobQueue queue) {
        this.queue = queue;
    }

    @PostMapping("/console/jobs/{id}/retry")
    RedirectView retry(@PathVariable long id, HttpServletRequest request, HttpServletResponse response) {
        ActionResult result = queue.retry(id);
        String message = switch (result.status()) {
            case DONE -> "Job " + id + " queued again.";
            case WRONG_STATE -> "Job " + id + " is " + result.job().state()
                    + " and cannot be retried; only failed or cancelled jobs can.";
            case NOT_FOUND -> "Job " + id + " does not exist.";
        };
        return Flash.redirect(jobPage(id), message, request, response);
    }

    @PostMapping("/console/jobs/{id}/cancel")
    RedirectView cancel(@PathVariable long id, HttpServletRequest request, HttpServletResponse response) {
        CancelResult result = queue.requestCancel(id);
        String message = switch (result.outcome()) {
            case CANCELLED -> "Job " + id + " cancelled.";
            case CANCEL_REQUESTED -> "Cancellation of job " + id
                    + " requested; it stops when its instance sees the request (within a heartbeat).";
            case ALREADY_TERMINAL -> "Job " + id + " has already finished (" + result.job().state()
                    + ") and cannot be cancelled.";
            case NOT_FOUND -> "Job " + id + " does not exist.";
        };
        return Flash.redirect(jobPage(id), message, request, response);
    }

    @PostMapping("/console/jobs/{id}/delete")
    RedirectView delete(@PathVariable long id, HttpServletRequest request, HttpServletResponse response) {
        ActionResult result = queue.delete(id);
        return switch (result.status()) {
            case DONE -> Flash.redirect("/console/jobs", "Job " + id + " deleted.", request, response);
            case WRONG_STATE -> Flash.redirect(jobPage(id), "Job " + id + " is " + result.job().state()
                    + " and cannot be deleted; only finished jobs can.", request, response);
            case NOT_FOUND -> Flash.redirect("/console/jobs", "Job " + id + " does not exist.", request, response);
        };
    }

    private static String jobPage(long id) {
        return "/console/jobs/" + id;
    }
}

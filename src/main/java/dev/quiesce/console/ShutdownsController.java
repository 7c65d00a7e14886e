package dev.quiesce.console;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;

import dev.quiesce.shutdown.ShutdownReports;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The fleet's last shutdown reports ({@code /console/shutdowns}), newest first, each with its phases drawn against
 * its budget. Reports only ever get added, at the end of a shutdown: the page does not poll.
 */
@Controller
@ConditionalOnBooleanProperty(name = ConsoleProperties.ENABLED, matchIfMissing = true)
class ShutdownsController {

    static final int LIMIT = 50;

    private final ShutdownReports reports;

    ShutdownsController(ShutdownReports reports) {
        this.reports = reports;
    }

    @GetMapping("/console/shutdowns")
    String shutdowns(Model model) {
        model.addAttribute("shutdowns", reports.latest(LIMIT).stream().map(ShutdownView::of).toList());
        model.addAttribute("limit", LIMIT);
        return "console/shutdowns";
    }
}

package dev.quiesce.console;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;

import dev.quiesce.queue.Fleet;
import dev.quiesce.queue.QueueOverview;
import dev.quiesce.queue.QueueProperties;
import dev.quiesce.shutdown.ShutdownReport;
import dev.quiesce.shutdown.ShutdownReports;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;

import java.time.Duration;
import java.util.List;

/**
 * The console's front page ({@code /console}): jobs by type and state, the hour's throughput and failures, the
 * oldest ready job, the fleet in one line and the last shutdown. The page polls itself every 2 s through htmx,
 * which asks for the {@code overview} fragment only; without JavaScript it is a plain page.
 */
@Controller
@ConditionalOnBooleanProperty(name = ConsoleProperties.ENABLED, matchIfMissing = true)
class OverviewController {

    /** How far back the fleet line counts stopped and silent instances, as the instances page does. */
    static final Duration RECENT = Duration.ofHours(1);

    private final QueueOverview overview;
    private final Fleet fleet;
    private final ShutdownReports reports;
    private final Duration staleAfter;

    OverviewController(QueueOverview overview, Fleet fleet, ShutdownReports reports, QueueProperties queue) {
        this.overview = overview;
        this.fleet = fleet;
        this.reports = reports;
        this.staleAfter = queue.ownerStaleAfter();
    }

    @GetMapping({"/console", "/console/"})
    String overview(@RequestParam(required = false) String fragment,
                    @RequestHeader(name = "HX-Request", required = false) String htmx, Model model) {
        FleetSummary summary = FleetSummary.of(fleet.instances(RECENT), fleet.fleetQuiet(), staleAfter);
        List<ShutdownReport> last = reports.latest(1);
        model.addAttribute("view", OverviewView.of(overview.read(), summary, last.isEmpty() ? null : last.getFirst()));
        return fragment != null || htmx != null ? "console/overview :: overview" : "console/overview";
    }
}

package dev.quiesce.console;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;

import dev.quiesce.queue.Fleet;
import dev.quiesce.queue.QueueProperties;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.view.RedirectView;
import tools.jackson.databind.ObjectMapper;

import java.time.Duration;
import java.util.List;

/**
 * Every live and recently stopped instance from the database ({@code /console/instances}), and the quiet / resume
 * orders, for one instance or the whole fleet. Orders are rows in the database that each instance reads with its
 * heartbeat, so they reach pods whose management port the console cannot see; the page shows the order at once
 * and the instance's state once it followed. The table polls itself every 2 s through htmx.
 */
@Controller
@ConditionalOnBooleanProperty(name = ConsoleProperties.ENABLED, matchIfMissing = true)
class InstancesController {

    static final String PAGE = "/console/instances";

    private final Fleet fleet;
    private final ObjectMapper mapper;
    private final Duration staleAfter;

    InstancesController(Fleet fleet, ObjectMapper mapper, QueueProperties queue) {
        this.fleet = fleet;
        this.mapper = mapper;
        this.staleAfter = queue.ownerStaleAfter();
    }

    @GetMapping(PAGE)
    String instances(@RequestParam(required = false) String fragment,
                     @RequestHeader(name = "HX-Request", required = false) String htmx, Model model) {
        List<Fleet.Instance> instances = fleet.instances(OverviewController.RECENT);
        boolean fleetQuiet = fleet.fleetQuiet();
        model.addAttribute("fleet", FleetSummary.of(instances, fleetQuiet, staleAfter));
        model.addAttribute("instances", instances.stream().map(instance -> InstanceRow.of(instance, mapper, staleAfter)).toList());
        return fragment != null || htmx != null ? "console/instances :: instances" : "console/instances";
    }

    @PostMapping(PAGE + "/quiet")
    RedirectView quietFleet(HttpServletRequest request, HttpServletResponse response) {
        fleet.orderFleet(true);
        return back(request, response, "Told the fleet to be quiet: every instance stops claiming within a heartbeat.");
    }

    @PostMapping(PAGE + "/resume")
    RedirectView resumeFleet(HttpServletRequest request, HttpServletResponse response) {
        fleet.orderFleet(false);
        return back(request, response, "Told the fleet to resume: instances not quieted on their own claim again within a heartbeat.");
    }

    @PostMapping(PAGE + "/{id}/quiet")
    RedirectView quiet(@PathVariable String id, HttpServletRequest request, HttpServletResponse response) {
        return back(request, response, fleet.orderInstance(id, true)
                ? "Told instance " + id + " to be quiet: it stops claiming within a heartbeat."
                : "No live instance " + id + ": nothing to quiet.");
    }

    @PostMapping(PAGE + "/{id}/resume")
    RedirectView resume(@PathVariable String id, HttpServletRequest request, HttpServletResponse response) {
        return back(request, response, fleet.orderInstance(id, false)
                ? "Told instance " + id + " to resume: it claims again within a heartbeat, unless the fleet is quiet."
                : "No live instance " + id + ": nothing to resume.");
    }

    private static RedirectView back(HttpServletRequest request, HttpServletResponse response, String message) {
        return Flash.redirect(PAGE, message, request, response);
    }
}

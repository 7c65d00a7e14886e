package dev.quiesce.web;

import dev.quiesce.queue.Fleet;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The fleet from the database: every live and recently stopped instance, and quiet / resume of one instance or of the
 * whole fleet. Orders are written to the database; each instance follows within one heartbeat, so this works from
 * any instance without reaching the others' management ports.
 */
@RestController
@RequestMapping("/instances")
@Tag(name = "instances")
class InstanceController {

    /** Stopped or dead instances stay listed this long after their last heartbeat. */
    static final Duration RECENT = Duration.ofHours(1);

    private final Fleet fleet;
    private final ObjectMapper mapper;

    InstanceController(Fleet fleet, ObjectMapper mapper) {
        this.fleet = fleet;
        this.mapper = mapper;
    }

    @GetMapping
    @Operation(operationId = "listInstances", summary = "Live instances and those that stopped within the last hour")
    @ApiResponse(responseCode = "200", description = "The fleet")
    FleetResponse list() {
        return new FleetResponse(fleet.fleetQuiet(), fleet.instances(RECENT).stream().map(this::instance).toList());
    }

    @PostMapping("/quiet")
    @Operation(operationId = "quietFleet", summary = "Tell every instance to stop claiming (new ones start quiet)")
    @ApiResponse(responseCode = "200", description = "Ordered; every instance follows within one heartbeat")
    FleetOrder quietFleet() {
        fleet.orderFleet(true);
        return new FleetOrder(true);
    }

    @PostMapping("/resume")
    @Operation(operationId = "resumeFleet", summary = "Lift the fleet's quiet order and every instance's own")
    @ApiResponse(responseCode = "200", description = "Ordered; every instance follows within one heartbeat")
    FleetOrder resumeFleet() {
        fleet.orderFleet(false);
        return new FleetOrder(false);
    }

    @PostMapping("/{id}/quiet")
    @Operation(operationId = "quietInstance", summary = "Tell one instance to stop claiming")
    @ApiResponse(responseCode = "200", description = "Ordered; the instance follows within one heartbeat")
    @ApiResponse(responseCode = "404", description = "No live instance has this id")
    InstanceOrder quiet(@PathVariable String id) {
        return order(id, true);
    }

    @PostMapping("/{id}/resume")
    @Operation(operationId = "resumeInstance", summary = "Lift one instance's own quiet order")
    @ApiResponse(responseCode = "200", description = "Ordered; the instance follows within one heartbeat (unless the fleet is quiet)")
    @ApiResponse(responseCode = "404", description = "No live instance has this id")
    InstanceOrder resume(@PathVariable String id) {
        return order(id, false);
    }

    private InstanceOrder order(String id, boolean quiet) {
        if (!fleet.orderInstance(id, quiet)) {
            throw ProblemException.notFound("no live instance has the id '" + id + "' (GET /instances lists them)");
        }
        return new InstanceOrder(id, quiet);
    }

    private InstanceResponse instance(Fleet.Instance row) {
        JsonNode status = row.statusJson() == null ? null : mapper.readTree(row.statusJson());
        return new InstanceResponse(row.id(), row.name(), row.host(), row.pid(), row.state(), iso(row.startedAt()),
                iso(row.heartbeatAt()), BigDecimal.valueOf(row.heartbeatAge().toMillis(), 3).setScale(3, RoundingMode.UNNECESSARY),
                iso(row.stoppedAt()), row.quietOrdered(), row.inFlight(), status);
    }

    private static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    record FleetResponse(@Schema(description = "the fleet was told to be quiet") boolean fleetQuiet,
                         List<InstanceResponse> instances) {
    }

    /**
     * @param status the instance's own status as it last published it (the {@code /actuator/quiesce} document without
     *               the shutdown reports: in-flight jobs, children, child pool, leaks), null before its first heartbeat
     */
    record InstanceResponse(String id, String name, String host, long pid,
                            @Schema(allowableValues = {"RUNNING", "QUIET", "DRAINING", "STOPPED"}) String state,
                            @Schema(format = "date-time") String startedAt, @Schema(format = "date-time") String heartbeatAt,
                            BigDecimal heartbeatAgeSeconds, @Schema(format = "date-time", nullable = true) String stoppedAt,
                            boolean quietOrdered, int inFlight, @Schema(nullable = true) JsonNode status) {
    }

    record FleetOrder(boolean fleetQuiet) {
    }

    record InstanceOrder(String id, boolean quiet) {
    }
}

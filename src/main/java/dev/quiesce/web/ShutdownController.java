package dev.quiesce.web;

import dev.quiesce.shutdown.ShutdownReports;
import dev.quiesce.status.QuiesceEndpoint;
import dev.quiesce.status.QuiesceStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** The fleet's shutdown reports, newest first: what each stop did with its jobs, children and resources. */
@RestController
@RequestMapping("/shutdowns")
@Tag(name = "shutdowns")
class ShutdownController {

    static final int MAX_LIMIT = 200;

    private final ShutdownReports reports;

    ShutdownController(ShutdownReports reports) {
        this.reports = reports;
    }

    @GetMapping
    @Operation(operationId = "listShutdowns", summary = "The fleet's last shutdown reports, newest first")
    @ApiResponse(responseCode = "200", description = "The reports")
    @ApiResponse(responseCode = "400", description = "A limit out of range")
    ShutdownsResponse list(@Parameter(description = "at most this many", schema = @Schema(type = "integer", minimum = "1",
                                   maximum = "" + MAX_LIMIT, defaultValue = "20"))
                           @RequestParam(defaultValue = "20") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ProblemException.badRequest("limit: must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        return new ShutdownsResponse(reports.latest(limit).stream().map(QuiesceEndpoint::report).toList());
    }

    record ShutdownsResponse(List<QuiesceStatus.Report> shutdowns) {
    }
}

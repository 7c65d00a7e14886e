package dev.quiesce.status;

import dev.quiesce.child.ChildPool;
import dev.quiesce.child.ChildView;
import dev.quiesce.dispatch.InFlightJob;
import dev.quiesce.dispatch.JobDispatcher;
import dev.quiesce.instance.InstanceIdentity;
import dev.quiesce.leak.LeakKind;
import dev.quiesce.leak.Leaks;
import dev.quiesce.shutdown.ShutdownReport;
import dev.quiesce.shutdown.ShutdownReports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.http.MediaType;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code quiesce} actuator endpoint (DESIGN §7): what this instance is doing — state, running jobs,
 * children, leaks — and the fleet's last shutdown reports; {@code POST /actuator/quiesce/quiet} stops claiming
 * without exiting and {@code /resume} claims again (and clears a degraded child pool). When
 * {@code quiesce.api.token} is set, {@link QuiesceEndpointTokenFilter} guards both.
 */
@Endpoint(id = "quiesce")
public class QuiesceEndpoint {

    static final int REPORTS = 10;
    private static final Logger log = LoggerFactory.getLogger(QuiesceEndpoint.class);

    private final InstanceIdentity identity;
    private final JobDispatcher dispatcher;
    private final ChildPool pool;
    private final Leaks leaks;
    private final ShutdownReports reports;
    private final InstanceOrders orders;

    QuiesceEndpoint(InstanceIdentity identity, JobDispatcher dispatcher, ChildPool pool, Leaks leaks,
                    ShutdownReports reports, InstanceOrders orders) {
        this.orders = orders;
        this.identity = identity;
        this.dispatcher = dispatcher;
        this.pool = pool;
        this.leaks = leaks;
        this.reports = reports;
    }

    @ReadOperation
    public QuiesceStatus status() {
        List<QuiesceStatus.Report> latest = List.of();
        String reportsError = null;
        try {
            latest = reports.latest(REPORTS).stream().map(QuiesceEndpoint::report).toList();
        } catch (RuntimeException e) {
            // The rest of the page is this instance's own state and must not fail with the database.
            log.warn("Cannot read the shutdown reports for /actuator/quiesce: {}", e.toString());
            reportsError = "the shutdown reports cannot be read right now: " + e.getClass().getSimpleName();
        }
        return status(latest, reportsError);
    }

    /** This instance's own state without the fleet's shutdown reports: what it publishes with its heartbeat. */
    QuiesceStatus local() {
        return status(List.of(), null);
    }

    private QuiesceStatus status(List<QuiesceStatus.Report> latest, String reportsError) {
        List<InFlightJob> running = dispatcher.inFlightJobs();
        return new QuiesceStatus(
                new QuiesceStatus.Instance(identity.id(), identity.name(), identity.host(), identity.pid()),
                dispatcher.state().name(),
                new QuiesceStatus.InFlight(running.size(), dispatcher.inFlightByRunner(),
                        running.stream().map(QuiesceEndpoint::runningJob).toList()),
                pool.children().stream().map(QuiesceEndpoint::child).toList(),
                new QuiesceStatus.Pool(pool.isDegraded(), pool.recentRestarts()),
                new QuiesceStatus.Leaks(LeakKind.byTag(leaks.outstanding()), LeakKind.byTag(leaks.detected())),
                latest,
                reportsError);
    }

    /** {@code quiet} or {@code resume}; anything else is a 400 naming the two. */
    @WriteOperation
    public WebEndpointResponse<Object> act(@Selector String action) {
        QuiesceAction known = QuiesceAction.of(action).orElse(null);
        if (known == null) {
            Map<String, Object> problem = new LinkedHashMap<>();
            problem.put("type", "about:blank");
            problem.put("title", "Bad Request");
            problem.put("status", WebEndpointResponse.STATUS_BAD_REQUEST);
            problem.put("detail", "unknown action '" + action + "'; the actions are " + QuiesceAction.words());
            return new WebEndpointResponse<>(problem, WebEndpointResponse.STATUS_BAD_REQUEST, MediaType.APPLICATION_PROBLEM_JSON);
        }
        String state = switch (known) {
            case QUIET -> dispatcher.quiet().name();
            case RESUME -> {
                pool.resume();
                yield dispatcher.resume().name();
            }
        };
        orders.ordered(known == QuiesceAction.QUIET);
        log.info("Actuator: {} -> {}", known.word(), state);
        return new WebEndpointResponse<>(new QuiesceStatus.StateChange(known.word(), state));
    }

    private static QuiesceStatus.RunningJob runningJob(InFlightJob job) {
        return new QuiesceStatus.RunningJob(job.id(), job.type(), job.runner(), job.attempt(), seconds(job.runningFor()),
                job.progress());
    }

    private static QuiesceStatus.Child child(ChildView child) {
        Duration age = Duration.between(child.startedAt(), Instant.now());
        return new QuiesceStatus.Child(child.id(), child.pid(), child.state().tag(), child.tasksServed(), child.rssBytes(),
                seconds(age.isNegative() ? Duration.ZERO : age), child.startedAt().toString());
    }

    /** A report as the actuator and the API show it (seconds with three decimals, tags for outcomes and kinds). */
    public static QuiesceStatus.Report report(ShutdownReport report) {
        Map<String, BigDecimal> phases = new LinkedHashMap<>();
        report.phases().forEach((phase, took) -> phases.put(phase, seconds(took)));
        return new QuiesceStatus.Report(report.instanceId(), report.instanceName(), report.outcome().tag(),
                report.startedAt().toString(), seconds(report.budget()), seconds(report.took()), phases, report.jobs(),
                report.children(), report.leaks(), report.outstanding(), report.inherited());
    }

    static BigDecimal seconds(Duration duration) {
        return BigDecimal.valueOf(duration.toNanos(), 9).setScale(3, RoundingMode.HALF_UP);
    }

}

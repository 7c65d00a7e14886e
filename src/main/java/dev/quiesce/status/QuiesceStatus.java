package dev.quiesce.status;

import dev.quiesce.shutdown.ShutdownReport;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * What {@code GET /actuator/quiesce} answers (DESIGN §7). Durations are numbers of seconds with three
 * decimals, instants ISO-8601 strings, leak kinds and outcomes their metric tags — the same words the metrics
 * use, so a dashboard and this page agree.
 *
 * @param state                RUNNING, QUIET, DRAINING or STOPPED
 * @param leaks                leak counts by kind tag, every kind present
 * @param shutdownReports      the fleet's last shutdown reports, newest first
 * @param shutdownReportsError why {@code shutdownReports} is empty when the table could not be read, else null
 */
public record QuiesceStatus(Instance instance, String state, InFlight inFlight, List<Child> children, Pool childPool,
                            Leaks leaks, List<Report> shutdownReports, String shutdownReportsError) {

    public record Instance(String id, String name, String host, long pid) {
    }

    /** @param byRunner every runner present ({@code thread}, {@code child}) */
    public record InFlight(int count, Map<String, Integer> byRunner, List<RunningJob> jobs) {
    }

    /**
     * @param attempt  which attempt this is (1 for the first)
     * @param progress what the job last reported through {@code JobContext.progress}, in [0, 1]
     */
    public record RunningJob(long id, String type, String runner, int attempt, BigDecimal runningSeconds, double progress) {
    }

    /** @param state the {@code quiesce_children} state tag: starting, idle, busy or retiring */
    public record Child(int id, long pid, String state, long tasksServed, long rssBytes, BigDecimal ageSeconds,
                        String startedAt) {
    }

    /** @param restarts crash restarts within the restart period (more than the intensity degrade the pool) */
    public record Pool(boolean degraded, int restarts) {
    }

    /**
     * @param outstanding leaked now: neither reclaimed nor gone
     * @param detected    found since start-up
     */
    public record Leaks(Map<String, Long> outstanding, Map<String, Long> detected) {
    }

    /**
     * One shutdown report: see {@code ShutdownReport} for the meaning of each field.
     *
     * @param phaseSeconds time per phase, by phase tag, in order
     */
    public record Report(String instanceId, String instanceName, String outcome, String startedAt,
                         BigDecimal budgetSeconds, BigDecimal tookSeconds, Map<String, BigDecimal> phaseSeconds,
                         ShutdownReport.Jobs jobs, ShutdownReport.Children children, Map<String, Long> leaks, Map<String, Long> outstanding,
                         Map<String, Long> inherited) {
    }

    /** What {@code POST /actuator/quiesce/{action}} answers: the instance's state after the action. */
    public record StateChange(String action, String state) {
    }
}

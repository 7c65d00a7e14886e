package dev.quiesce.console;

import dev.quiesce.shutdown.ShutdownReport;

import java.util.Map;

/**
 * One shutdown report as the shutdowns page shows it: who stopped and when, the outcome, how long it took against
 * its budget, the phases on a timeline, and what became of jobs, children and leaks (only the kinds that happened).
 *
 * @param outcome     {@code clean}, {@code leaky} or {@code overran} (also the CSS class that colours it)
 * @param overBudget  whether it took longer than its budget
 * @param leaks       leaks this run caused, only kinds above zero
 * @param outstanding leaks still there at the end, only kinds above zero
 * @param inherited   a previous run's leaks reclaimed at start-up, only kinds above zero
 */
record ShutdownView(String instanceId, String instanceName, String startedAt, String outcome, String took,
                    String budget, boolean overBudget, PhaseChart timeline, ShutdownReport.Jobs jobs,
                    ShutdownReport.Children children, Map<String, Long> leaks, Map<String, Long> outstanding,
                    Map<String, Long> inherited) {

    static ShutdownView of(ShutdownReport report) {
        return new ShutdownView(report.instanceId(), report.instanceName(), ConsoleTime.format(report.startedAt()),
                report.outcome().tag(), DurationText.of(report.took()), DurationText.of(report.budget()),
                report.took().compareTo(report.budget()) > 0,
                PhaseChart.of(report.phases(), report.budget(), report.took()), report.jobs(), report.children(),
                Counts.nonZero(report.leaks()), Counts.nonZero(report.outstanding()), Counts.nonZero(report.inherited()));
    }
}

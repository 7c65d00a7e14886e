package dev.quiesce.console;

import dev.quiesce.api.JobState;
import dev.quiesce.queue.QueueOverview;
import dev.quiesce.shutdown.ShutdownReport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What the overview page shows, computed from one {@link QueueOverview.Snapshot}: jobs by type and state (waiting
 * and running now, finished within the hour), the totals per state, the hour's chart, the oldest ready job's age,
 * the fleet in one line and the last shutdown.
 *
 * @param at           when the snapshot was read (database clock)
 * @param types        one row per job type seen, by name
 * @param totals       one cell per state, every state present
 * @param failedTotal  FAILED jobs kept, {@code 100000+} past the count the overview stops at
 * @param lastShutdown null when no shutdown was ever reported
 */
record OverviewView(String at, List<JobState> states, List<TypeRow> types, List<Cell> totals, MinuteChart chart,
                    long succeededLastHour, long failedLastHour, String oldestReady, long scheduled, String failedTotal,
                    FleetSummary fleet, LastShutdown lastShutdown) {

    /** @param counts one per state, in {@link JobState} order */
    /** The queue counts FAILED jobs up to this many (QueueOverview.Snapshot): a cheap count, not an exact one. */
    static final long FAILED_COUNTED_UP_TO = 100_000;

    record TypeRow(String type, List<Long> counts) {
    }

    record Cell(JobState state, long count) {
    }

    record LastShutdown(String outcome, String instanceName, String startedAt, String took, String budget) {

        static LastShutdown of(ShutdownReport report) {
            return new LastShutdown(report.outcome().tag(), report.instanceName(), ConsoleTime.format(report.startedAt()),
                    DurationText.of(report.took()), DurationText.of(report.budget()));
        }
    }

    static OverviewView of(QueueOverview.Snapshot snapshot, FleetSummary fleet, ShutdownReport lastShutdown) {
        List<JobState> states = List.of(JobState.values());
        TreeSet<String> typeNames = new TreeSet<>(snapshot.active().keySet());
        typeNames.addAll(snapshot.lastHour().keySet());
        long[] totals = new long[states.size()];
        List<TypeRow> rows = new ArrayList<>();
        for (String type : typeNames) {
            List<Long> counts = new ArrayList<>();
            for (JobState state : states) {
                long count = count(snapshot.active(), type, state) + count(snapshot.lastHour(), type, state);
                counts.add(count);
                totals[state.ordinal()] += count;
            }
            rows.add(new TypeRow(type, List.copyOf(counts)));
        }
        List<Cell> cells = states.stream().map(state -> new Cell(state, totals[state.ordinal()])).toList();
        long succeeded = snapshot.minutes().stream().mapToLong(QueueOverview.Minute::succeeded).sum();
        long failed = snapshot.minutes().stream().mapToLong(QueueOverview.Minute::failed).sum();
        return new OverviewView(ConsoleTime.format(snapshot.at()), states, List.copyOf(rows), cells,
                MinuteChart.of(snapshot.minutes()), succeeded, failed, DurationText.of(snapshot.oldestReady()),
                snapshot.scheduled(), snapshot.failedTotal() >= FAILED_COUNTED_UP_TO ? FAILED_COUNTED_UP_TO + "+"
                        : Long.toString(snapshot.failedTotal()), fleet,
                lastShutdown == null ? null : LastShutdown.of(lastShutdown));
    }

    private static long count(Map<String, Map<JobState, Long>> byType, String type, JobState state) {
        Map<JobState, Long> counts = byType.get(type);
        Long count = counts == null ? null : counts.get(state);
        return count == null ? 0 : count;
    }
}

package dev.quiesce.console;

import dev.quiesce.queue.Fleet;
import dev.quiesce.status.QuiesceStatus;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One instance as the instances page shows it: its {@code workers} row (state, heartbeat, jobs it holds) and what it
 * last published about itself (children, pool, leaks). The status document is read here, not trusted to be there: an
 * instance that has not published yet, or an older version that publishes another shape, still gets its row.
 *
 * @param state        the state the instance wrote: RUNNING, QUIET, DRAINING or STOPPED
 * @param live         heartbeating and not stopped: only a live instance takes quiet and resume orders
 * @param silent       not stopped, but its heartbeat is older than the owner timeout (dead or cut off)
 * @param quietOrdered an operator told this instance (not the whole fleet) to be quiet
 * @param children     the child JVMs it last published, empty when it has none or has not published
 * @param degraded     whether its child pool stopped restarting crashed children; null when unknown
 * @param leaks        leaks outstanding by kind, only the kinds above zero
 * @param statusNote   why the children and leaks are unknown, or null
 */
record InstanceRow(String id, String name, String host, long pid, String state, boolean live, boolean silent,
                   boolean quietOrdered, String heartbeatAge, String startedAt, String stoppedAt, int inFlight,
                   List<ChildRow> children, Boolean degraded, Map<String, Long> leaks, String statusNote) {

    private static final long MIB = 1024 * 1024;

    /** @param rssMib resident memory in MiB, rounded; null when the instance did not measure it (0 bytes) */
    record ChildRow(long pid, String state, long tasksServed, Long rssMib) {
    }

    static InstanceRow of(Fleet.Instance instance, ObjectMapper mapper, Duration staleAfter) {
        QuiesceStatus status = null;
        String note = null;
        if (instance.statusJson() == null) {
            note = "no status published yet";
        } else {
            try {
                status = mapper.readValue(instance.statusJson(), QuiesceStatus.class);
            } catch (JacksonException e) {
                // Another version's document (a rolling upgrade): the row without the details beats no row.
                note = "status unreadable: " + e.getOriginalMessage();
            }
        }
        boolean silent = FleetSummary.isSilent(instance, staleAfter);
        boolean live = !silent && !FleetSummary.STOPPED.equals(instance.state());
        List<ChildRow> children = status == null || status.children() == null ? List.of()
                : status.children().stream()
                        .map(child -> new ChildRow(child.pid(), child.state(), child.tasksServed(),
                                child.rssBytes() > 0 ? Math.round(child.rssBytes() / (double) MIB) : null))
                        .toList();
        Boolean degraded = status == null || status.childPool() == null ? null : status.childPool().degraded();
        Map<String, Long> leaks = status == null || status.leaks() == null ? Map.of()
                : Counts.nonZero(status.leaks().outstanding());
        return new InstanceRow(instance.id(), instance.name(), instance.host(), instance.pid(), instance.state(), live,
                silent, instance.quietOrdered(), DurationText.of(instance.heartbeatAge()),
                ConsoleTime.format(instance.startedAt()), instance.stoppedAt() == null ? null
                        : ConsoleTime.format(instance.stoppedAt()),
                instance.inFlight(), children, degraded, leaks, note);
    }
}

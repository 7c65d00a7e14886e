package dev.quiesce.console;

import dev.quiesce.queue.Fleet;

import java.time.Duration;
import java.util.List;

/**
 * How many instances the database knows and in which state: the overview's line and the instances page's heading.
 * An instance is live while it heartbeats and has not stopped; one whose heartbeat is older than the queue's owner
 * timeout (three heartbeats) without a clean stop is silent: dead or cut off, its leases about to be reclaimed.
 *
 * @param quiet      live instances that do not claim (their own order, the fleet's, or an operator's)
 * @param draining   live instances that are shutting down
 * @param fleetState {@code quiet} when the fleet was told to be quiet, else {@code claiming}
 */
record FleetSummary(int live, int quiet, int draining, int stopped, int silent, String fleetState) {

    static final String STOPPED = "STOPPED";

    static FleetSummary of(List<Fleet.Instance> instances, boolean fleetQuiet, Duration staleAfter) {
        int live = 0;
        int quiet = 0;
        int draining = 0;
        int stopped = 0;
        int silent = 0;
        for (Fleet.Instance instance : instances) {
            if (STOPPED.equals(instance.state())) {
                stopped++;
            } else if (isSilent(instance, staleAfter)) {
                silent++;
            } else {
                live++;
                if ("QUIET".equals(instance.state())) {
                    quiet++;
                } else if ("DRAINING".equals(instance.state())) {
                    draining++;
                }
            }
        }
        return new FleetSummary(live, quiet, draining, stopped, silent, fleetQuiet ? "quiet" : "claiming");
    }

    static boolean isSilent(Fleet.Instance instance, Duration staleAfter) {
        return !STOPPED.equals(instance.state()) && instance.heartbeatAge() != null
                && instance.heartbeatAge().compareTo(staleAfter) > 0;
    }
}

package dev.quiesce.queue;

import dev.quiesce.job.Job;

import java.time.Instant;
import java.util.List;

/**
 * A job with what only its own page shows.
 *
 * @param progress   what the job last reported through {@code JobContext.progress} while it ran (written with the
 *                   lease heartbeat), null if it never reported
 * @param runner     where its current or last attempt ran: {@code thread <name>} or {@code child pid <pid>}, null until
 *                   a lease heartbeat saw it running
 * @param errorTrace the stack trace of the last failed attempt (bounded), null if none was recorded
 * @param history    what happened to it, oldest first (bounded: the oldest entries are dropped first)
 */
public record JobDetail(Job job, Double progress, String runner, String errorTrace, List<Event> history) {

    /** One line of history: when (the writer's clock) and what. */
    public record Event(Instant at, String what) {
    }
}

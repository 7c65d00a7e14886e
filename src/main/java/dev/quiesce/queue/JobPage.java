package dev.quiesce.queue;

import dev.quiesce.job.Job;

import java.util.List;

/**
 * One page of jobs in id order ({@link Order}).
 *
 * @param next the cursor for the following page (pass it as {@code after}), or null when this page is the last
 */
public record JobPage(List<Job> jobs, Long next) {

    /** Newest first (descending ids) or oldest first (ascending ids). */
    public enum Order { NEWEST, OLDEST }
}

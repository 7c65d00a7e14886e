package dev.quiesce.queue;

import dev.quiesce.job.Job;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.Collection;
import java.util.Collections;
import java.util.List;

/** Reads shared by the queue's parts. */
final class JobQueries {

    private JobQueries() {
    }

    /** The jobs with these ids, in no particular order; one round trip. */
    static List<Job> findAll(JdbcTemplate jdbc, Collection<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.query("SELECT * FROM jobs WHERE id IN (" + placeholders(ids.size()) + ")",
                JobRowMapper.INSTANCE, ids.toArray());
    }

    /** {@code ?, ?, ?} for an IN list of {@code n} parameters. */
    static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }
}

package dev.quiesce.queue;

import java.util.Collections;

/** SQL shared by the queue's parts. */
final class JobQueries {

    private JobQueries() {
    }

    /** {@code ?, ?, ?} for an IN list of {@code n} parameters. */
    static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }
}

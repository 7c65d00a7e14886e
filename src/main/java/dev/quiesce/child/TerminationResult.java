package dev.quiesce.child;

import java.time.Duration;
import java.util.List;

/**
 * How a termination of the pool went: each child's end, and how many processes adopted from dead children
 * had to be killed on the way.
 */
public record TerminationResult(List<Ended> children, int adoptedKilled, Duration took) {

    /** One child's end. */
    public record Ended(int id, long pid, ChildExit how) {
    }

    public long count(ChildExit how) {
        return children.stream().filter(c -> c.how() == how).count();
    }

    @Override
    public String toString() {
        return children.size() + " child JVM(s) stopped in " + took.toMillis() + " ms: " + count(ChildExit.GRACEFUL) + " graceful, "
                + count(ChildExit.TERMINATED) + " terminated, " + count(ChildExit.KILLED) + " killed; "
                + adoptedKilled + " adopted process(es) killed";
    }
}

package dev.quiesce.leak;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The shutdown audit: once every other phase has had its chance, asks each {@link LeakCheck} — the child pool,
 * the leases, the scratch directories, the JVM's threads and file descriptors — to count what is left. A check
 * that fails is logged and skipped: the audit must always end, and the report must always be written.
 */
public final class LeakAudit {

    private static final Logger log = LoggerFactory.getLogger(LeakAudit.class);

    private final List<LeakCheck> checks;
    private final Leaks leaks;

    LeakAudit(List<LeakCheck> checks, Leaks leaks) {
        this.checks = List.copyOf(checks);
        this.leaks = leaks;
    }

    /** Runs every check once; the findings are in {@link Leaks}. */
    public void run() {
        List<String> failed = new ArrayList<>();
        for (LeakCheck check : checks) {
            try {
                check.check(leaks);
            } catch (RuntimeException e) {
                failed.add(check.name());
                log.warn("Leak check of {} failed, its resources are not counted: {}", check.name(), e.toString());
            }
        }
        log.debug("Leak audit done; {} check(s) of {} failed {}", failed.size(), checks.size(), failed);
    }
}

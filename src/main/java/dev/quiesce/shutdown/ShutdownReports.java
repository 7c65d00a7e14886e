package dev.quiesce.shutdown;

import java.util.List;
import java.util.Map;

/** Where shutdown reports are kept so that they outlive the process (the {@code shutdown_reports} table). */
public interface ShutdownReports {

    void save(ShutdownReport report);

    /** The newest {@code limit} reports of the whole fleet, newest first. */
    List<ShutdownReport> latest(int limit);

    /** Reports of the whole fleet by outcome, every outcome present. */
    Map<ShutdownOutcome, Long> countByOutcome();
}

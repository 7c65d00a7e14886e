package dev.quiesce.shutdown;

/** What the dispatcher's stop did, for the shutdown report; {@link ShutdownReport.Jobs#NONE} before a stop. */
public interface JobsAtShutdown {

    ShutdownReport.Jobs jobsAtShutdown();
}

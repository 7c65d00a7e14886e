package dev.quiesce.job;

import java.util.Set;

/**
 * Job types run outside this JVM's handlers (by child JVMs). They are known to the API, but their payload is
 * checked only by whoever runs them.
 */
public interface ExternalJobTypes {

    Set<String> jobTypes();
}

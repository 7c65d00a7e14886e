package dev.quiesce.job;

import org.springframework.stereotype.Component;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/** Every {@link JobHandler} bean by type; two handlers for one type fail start-up. */
@Component
public class JobHandlers {

    private final Map<String, JobHandler> byType;

    public JobHandlers(List<JobHandler> handlers) {
        Map<String, JobHandler> map = new TreeMap<>();
        for (JobHandler handler : handlers) {
            JobHandler previous = map.putIfAbsent(handler.type(), handler);
            if (previous != null) {
                throw new IllegalStateException("Two job handlers for type '" + handler.type() + "': "
                        + previous.getClass().getName() + " and " + handler.getClass().getName());
            }
        }
        this.byType = Collections.unmodifiableMap(map);
    }

    public Optional<JobHandler> find(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    /** The types a client may post, sorted (an unknown type's 400 lists them). */
    public SortedSet<String> types() {
        return new TreeSet<>(byType.keySet());
    }
}

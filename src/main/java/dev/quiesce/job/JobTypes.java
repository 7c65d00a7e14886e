package dev.quiesce.job;

import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/** Every job type a client may post: the in-process handlers' and the external ones (child tasks). */
@Component
public class JobTypes {

    private final JobHandlers handlers;
    private final SortedSet<String> all;

    public JobTypes(JobHandlers handlers, List<ExternalJobTypes> external) {
        this.handlers = handlers;
        SortedSet<String> types = new TreeSet<>(handlers.types());
        external.forEach(source -> types.addAll(source.jobTypes()));
        this.all = java.util.Collections.unmodifiableSortedSet(types);
    }

    public SortedSet<String> types() {
        return all;
    }

    public boolean isKnown(String type) {
        return all.contains(type);
    }

    /**
     * Checks a payload with the type's in-process handler, when there is one (a child task checks its own).
     *
     * @throws IllegalArgumentException with a message a client can act on
     */
    public void validate(String type, JsonNode payload) {
        handlers.find(type).ifPresent(handler -> handler.validate(payload));
    }
}

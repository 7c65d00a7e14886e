package dev.quiesce.job;

import dev.quiesce.api.ChildJobType;
import dev.quiesce.api.JobHandler;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Every job type a client may post — the in-process handlers' and the external ones (child tasks) — and how each
 * one's payload is checked at enqueue time: with its handler's payload type if it has one, else with its
 * {@link ChildJobType}'s, else (an undeclared child task) not at all.
 */
@Component
public class JobTypes {

    private final JobHandlers handlers;
    private final PayloadBinder binder;
    private final SortedSet<String> all;

    public JobTypes(JobHandlers handlers, List<ExternalJobTypes> external, PayloadBinder binder) {
        this.handlers = handlers;
        this.binder = binder;
        SortedSet<String> types = new TreeSet<>(handlers.types());
        external.forEach(source -> types.addAll(source.jobTypes()));
        this.all = Collections.unmodifiableSortedSet(types);
    }

    public SortedSet<String> types() {
        return all;
    }

    public boolean isKnown(String type) {
        return all.contains(type);
    }

    /** The class a type's payload binds to; empty for an undeclared child task (any JSON). */
    public Optional<Class<?>> payloadType(String type) {
        Class<?> payload = handlers.payloadType(type);
        return Optional.ofNullable(payload != null ? payload : handlers.childPayloadType(type));
    }

    /** What the type's handler or declaration says it does; empty if nothing. */
    public String description(String type) {
        return handlers.find(type).map(JobHandler::description)
                .or(() -> handlers.childType(type).map(ChildJobType::description))
                .orElse("");
    }

    /**
     * Binds and checks a payload for {@code type}.
     *
     * @throws IllegalArgumentException with a message a client can act on, starting with the field
     *                                  ({@code payload.pages: ...}, or {@code payload: ...} from the handler's own check)
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void validate(String type, JsonNode payload) {
        Optional<JobHandler<?>> handler = handlers.find(type);
        if (handler.isPresent()) {
            Object bound = binder.bind(type, handlers.payloadType(type), payload);
            checked(() -> ((JobHandler) handler.get()).validate(bound));
            return;
        }
        Optional<ChildJobType<?>> declared = handlers.childType(type);
        if (declared.isPresent()) {
            Object bound = binder.bind(type, handlers.childPayloadType(type), payload);
            checked(() -> ((ChildJobType) declared.get()).validate(bound));
        }
    }

    /** A handler's own check names its fields in its message; the field of the request is the payload. */
    private static void checked(Runnable validation) {
        try {
            validation.run();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("payload: " + e.getMessage(), e);
        }
    }
}

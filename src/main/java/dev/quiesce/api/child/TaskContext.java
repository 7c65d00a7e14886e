package dev.quiesce.api.child;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link ChildTask} knows about the job it runs. The payload accessors throw
 * {@link IllegalArgumentException} with the same kind of message as the in-process handlers
 * ({@code payload.ms is required (a whole number from 0 to 86400000)}), so the job's {@code lastError}
 * reads the same whichever runner ran it.
 */
public interface TaskContext {

    long jobId();

    int attempt();

    /**
     * The job's payload as stored, the full JSON document ({@code null} for a job without payload): hand it to a
     * JSON library of the task's own, or read it with {@link #payload()}.
     */
    String payloadJson();

    /**
     * The payload parsed with {@link Json}: an object whose values are strings, numbers ({@link Long} or
     * {@link BigDecimal}), booleans, nulls, nested objects ({@link Map}) and arrays ({@link java.util.List}). An
     * empty or {@code null} payload reads as an empty object.
     *
     * @throws IllegalArgumentException if the payload is not a JSON object
     */
    Map<String, Object> payload();

    /** True once the service asked to cancel this job; the task thread is also interrupted then. */
    boolean isCancelled();

    /** The whole-number field {@code name}, which must be present and within {@code min..max}. */
    default long requiredLong(String name, long min, long max) {
        Object value = payload().get(name);
        if (value == null) {
            throw new IllegalArgumentException("payload." + name + " is required (a whole number from " + min + " to " + max + ")");
        }
        if (!(value instanceof Long number) || number < min || number > max) {
            throw new IllegalArgumentException("payload." + name + " must be a whole number from " + min + " to " + max
                    + ", was " + render(value));
        }
        return number;
    }

    /** The whole-number field {@code name} if present and not null, else {@code defaultValue}. */
    default long optionalLong(String name, long min, long max, long defaultValue) {
        return payload().get(name) == null ? defaultValue : requiredLong(name, min, max);
    }

    /** The boolean field {@code name} if present and not null, else {@code defaultValue}. */
    default boolean optionalBoolean(String name, boolean defaultValue) {
        Object value = payload().get(name);
        if (value == null) {
            return defaultValue;
        }
        if (!(value instanceof Boolean flag)) {
            throw new IllegalArgumentException("payload." + name + " must be true or false, was " + render(value));
        }
        return flag;
    }

    /** The string field {@code name} if present and not null. */
    default Optional<String> optionalString(String name) {
        Object value = payload().get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String text)) {
            throw new IllegalArgumentException("payload." + name + " must be a string, was " + render(value));
        }
        return Optional.of(text);
    }

    private static String render(Object value) {
        return value instanceof String text ? '"' + text + '"'
                : value instanceof BigDecimal decimal ? decimal.toString() : String.valueOf(value);
    }
}

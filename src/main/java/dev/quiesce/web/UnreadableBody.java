package dev.quiesce.web;

import org.springframework.http.converter.HttpMessageNotReadableException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import java.time.temporal.Temporal;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Says, in a client's terms, why a request body could not be bound: which field (as a path such as
 * {@code jobs[2].priority}), what was expected and what came. Jackson's own messages name Java types and
 * are not shown, except the parser's description of malformed JSON, which names none.
 */
final class UnreadableBody {

    private UnreadableBody() {
    }

    /** The problem for an unreadable body: 413 when the size limit stopped the read, else 400. */
    static ProblemException problem(HttpMessageNotReadableException ex) {
        for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof ProblemException problem) {
                return problem;
            }
        }
        JacksonException jackson = find(ex, JacksonException.class);
        if (jackson != null) {
            return ProblemException.badRequest(describe(jackson));
        }
        if (ex.getMessage() != null && ex.getMessage().startsWith("Required request body is missing")) {
            return ProblemException.badRequest("request body is missing: expected a JSON object");
        }
        return ProblemException.badRequest("request body could not be read");
    }

    static String describe(JacksonException ex) {
        String path = path(ex);
        String at = path.isEmpty() ? "request body" : path;
        return switch (ex) {
            case UnrecognizedPropertyException unknown -> "unknown field " + JobRequestValidator.quoted(path)
                    + "; known fields: " + known(unknown.getKnownPropertyIds());
            case InvalidFormatException format -> at + ": expected " + expected(format.getTargetType())
                    + ", got " + JobRequestValidator.quoted(String.valueOf(format.getValue()));
            case MismatchedInputException mismatch -> at + ": expected " + expected(mismatch.getTargetType())
                    + (mismatch.getCurrentToken() == null ? "" : ", got " + token(mismatch.getCurrentToken()));
            case InputCoercionException coercion -> at + ": number out of range";
            case StreamReadException malformed -> "malformed JSON" + location(malformed.getLocation()) + ": "
                    + malformed.getOriginalMessage();
            default -> at + ": could not be read as JSON";
        };
    }

    private static String path(JacksonException ex) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : ex.getPath()) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "a different kind of value";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return "an ISO-8601 timestamp such as 2030-01-01T00:00:00Z";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (JsonNode.class.isAssignableFrom(type)) {
            return "a JSON value";
        }
        if (type.isRecord() || Map.class.isAssignableFrom(type)) {
            return "an object";
        }
        return "a different kind of value";
    }

    private static String token(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> "something else";
        };
    }

    private static String known(Collection<Object> ids) {
        return ids == null ? "" : ids.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    private static String location(TokenStreamLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static <T extends Throwable> T find(Throwable ex, Class<T> type) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }
}

package dev.quiesce.job;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Binds a JSON payload to a handler's payload type and checks it with Bean Validation. Strict, so that what a client
 * meant is what the job gets: unknown fields, numbers in strings, fractions for whole numbers and nulls for
 * primitives are refused. Every refusal is an {@link IllegalArgumentException} whose message names the field,
 * {@code payload.pages: must be greater than or equal to 1}.
 */
@Component
public class PayloadBinder {

    private static final Pattern CONTAINER_ELEMENT = Pattern.compile("\\.?<[a-z ]+>");

    private final JsonMapper mapper;
    private final Validator validator;

    public PayloadBinder(JsonMapper mapper, Validator validator) {
        this.mapper = mapper.rebuild()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                // A number or a boolean is not a string either (Jackson turns 7 into "7" unless told).
                .withCoercionConfig(LogicalType.Textual, config -> config
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .build();
        this.validator = validator;
    }

    /** The JSON text of a payload object (a record, a map, a {@link JsonNode}; null is JSON null). */
    public JsonNode toTree(Object payload) {
        return payload == null ? NullNode.getInstance() : mapper.valueToTree(payload);
    }

    /** Binds stored payload text, as a job runs. */
    public Object bind(String type, Class<?> payloadType, String payloadJson) {
        return bind(type, payloadType, payloadJson == null ? NullNode.getInstance() : mapper.readTree(payloadJson));
    }

    /**
     * Binds {@code payload} to {@code payloadType} and validates it; a {@link JsonNode} payload type takes the tree
     * as it is.
     *
     * @throws IllegalArgumentException naming the field
     */
    public Object bind(String type, Class<?> payloadType, JsonNode payload) {
        if (payloadType.isAssignableFrom(JsonNode.class)) {
            return payload == null ? NullNode.getInstance() : payload;
        }
        if (payload == null || payload.isNull() || payload.isMissingNode()) {
            throw new IllegalArgumentException("payload: required, a JSON object for a '" + type + "' job");
        }
        Object bound;
        try {
            bound = mapper.treeToValue(payload, payloadType);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(describe(e), e);
        }
        if (bound == null) {
            throw new IllegalArgumentException("payload: required, a JSON object for a '" + type + "' job");
        }
        var violations = validator.validate(bound);
        if (!violations.isEmpty()) {
            throw new IllegalArgumentException(violations.stream()
                    .sorted(Comparator.comparing((ConstraintViolation<?> v) -> v.getPropertyPath().toString())
                            .thenComparing(ConstraintViolation::getMessage))
                    .map(v -> field(v.getPropertyPath().toString()) + ": " + v.getMessage())
                    .collect(Collectors.joining("; ")));
        }
        return bound;
    }

    private static String field(String path) {
        // A constraint on a type argument (List<@NotNull Page>) ends its path in a node Hibernate Validator calls
        // "<list element>"; the index before it already names the element a client wrote.
        String field = CONTAINER_ELEMENT.matcher(path).replaceAll("");
        return field.isEmpty() ? "payload" : "payload." + field;
    }

    private static String describe(JacksonException e) {
        String field = "payload" + path(e.getPath());
        if (e instanceof UnrecognizedPropertyException unknown) {
            String known = knownFields(unknown.getKnownPropertyIds());
            return field + ": unknown field" + (known.isEmpty() ? "" : "; known fields: " + known);
        }
        if (e instanceof InvalidNullException || (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Cannot map `null`"))) {
            return field + ": required, must not be null";
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return field + ": must be " + expected(mismatch.getTargetType());
        }
        String message = e.getOriginalMessage();
        int newline = message == null ? -1 : message.indexOf('\n');
        return field + ": " + (message == null ? "cannot be read" : newline < 0 ? message : message.substring(0, newline));
    }

    private static String path(List<JacksonException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : references) {
            if (reference.getPropertyName() != null) {
                path.append('.').append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String knownFields(Collection<Object> ids) {
        return ids == null ? "" : ids.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
    }

    private static String expected(Class<?> target) {
        if (target == String.class || target == char.class || target == Character.class) {
            return "a string";
        }
        if (target == boolean.class || target == Boolean.class) {
            return "true or false";
        }
        if (target == int.class || target == Integer.class || target == long.class || target == Long.class
                || target == short.class || target == Short.class || target == byte.class || target == Byte.class
                || target == java.math.BigInteger.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(target) || target == double.class || target == float.class) {
            return "a number";
        }
        if (target.isEnum()) {
            return "one of " + java.util.Arrays.stream(target.getEnumConstants()).map(String::valueOf)
                    .collect(Collectors.joining(", "));
        }
        if (target.isArray() || Collection.class.isAssignableFrom(target)) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(target) || !target.getName().startsWith("java.")) {
            return "an object";
        }
        return "a " + target.getSimpleName();
    }
}

package dev.quiesce.settings;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.bind.validation.ValidationErrors;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.origin.Origin;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.convert.ConversionFailedException;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Explains a {@code quiesce.*} value that could not be bound or broke a constraint: each offending property by
 * name, the value as written and where it was set, and what to set instead. Boot's own analyzers name property
 * and value but end in "Update your application's configuration"; this one says how. Values outside
 * {@code quiesce.*} are left to Boot.
 * <p>
 * Each constraint on a properties record carries the expected value as its message ("a number from 1 to 1024"),
 * so the fix reads "Set quiesce.worker.threads to a number from 1 to 1024."
 */
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class PropertyBindingFailureAnalyzer extends AbstractFailureAnalyzer<BindException> {

    private static final String PREFIX = "quiesce";

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
        if (!isQuiesce(cause.getName())) {
            return null;
        }
        if (cause.getCause() instanceof BindValidationException invalid) {
            return constraintsBroken(invalid.getValidationErrors(), cause);
        }
        ConversionFailedException unconvertible = findCause(cause, ConversionFailedException.class);
        ConfigurationProperty property = cause.getProperty();
        if (unconvertible != null && property != null) {
            Expected expected = Expected.of(unconvertible.getTargetType().getType());
            return new FailureAnalysis(
                    property.getName() + " is \"" + property.getValue() + "\", which is not " + expected.kind()
                            + origin(property.getOrigin()) + ".",
                    "Set " + property.getName() + " to " + expected.kind() + expected.example() + ".", cause);
        }
        Throwable root = rootCause(cause);
        return new FailureAnalysis(
                "The properties under " + cause.getName() + " could not be bound: " + root.getMessage()
                        + (property == null ? "" : " (" + property.getName() + " is \"" + property.getValue() + "\""
                        + origin(property.getOrigin()) + ")") + ".",
                "Correct the " + cause.getName() + ".* properties; the IDE completes them with their descriptions.",
                cause);
    }

    private FailureAnalysis constraintsBroken(ValidationErrors errors, BindException cause) {
        List<String> problems = new ArrayList<>();
        List<String> fixes = new ArrayList<>();
        for (ObjectError error : errors) {
            String expected = error.getDefaultMessage();
            if (!(error instanceof FieldError field)) {
                problems.add(errors.getName() + ": " + expected + ".");
                fixes.add("Correct the " + errors.getName() + ".* properties.");
                continue;
            }
            String name = propertyName(errors.getName(), field.getField());
            ConfigurationProperty bound = find(errors, name);
            Object value = bound != null ? bound.getValue() : field.getRejectedValue();
            Origin origin = bound != null ? bound.getOrigin() : Origin.from(field);
            String written = value == null ? "unset" : "\"" + value + "\"";
            if (expected != null && expected.startsWith("must")) {
                problems.add(name + " is " + written + ", but it " + expected + origin(origin) + ".");
                fixes.add("Set " + name + " so that it " + expected + ".");
            } else {
                problems.add(name + " is " + written + ", but it must be " + expected + origin(origin) + ".");
                fixes.add("Set " + name + " to " + expected + ".");
            }
        }
        return new FailureAnalysis(String.join(System.lineSeparator(), problems),
                String.join(System.lineSeparator(), fixes), cause);
    }

    /** {@code quiesce.routing} + {@code routing[sleep]} → {@code quiesce.routing.sleep}; camelCase → kebab-case. */
    static String propertyName(ConfigurationPropertyName parent, String field) {
        String path = field.replaceAll("\\[([^]]*)]", ".$1");
        String dashed = Stream.of(path.split("\\."))
                .map(part -> part.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT))
                .collect(Collectors.joining("."));
        return parent.isEmpty() ? dashed : parent + "." + dashed;
    }

    private static ConfigurationProperty find(ValidationErrors errors, String name) {
        for (ConfigurationProperty property : errors.getBoundProperties()) {
            if (propertyName(ConfigurationPropertyName.EMPTY, property.getName().toString()).equals(name)) {
                return property;
            }
        }
        return null;
    }

    /** What a value of this type is ("a duration"), and an example for the fix. */
    record Expected(String kind, String example) {

        static Expected of(Class<?> type) {
            if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
                return new Expected("a whole number", " such as 4");
            }
            if (type == Duration.class) {
                return new Expected("a duration", " such as 500ms, 30s or 10m (units: ns, us, ms, s, m, h, d)");
            }
            if (type == DataSize.class) {
                return new Expected("a size", " such as 512KB or 16MB (units: B, KB, MB, GB, TB)");
            }
            if (type == boolean.class || type == Boolean.class) {
                return new Expected("true or false", "");
            }
            if (type.isEnum()) {
                return new Expected("one of " + Stream.of(type.getEnumConstants())
                        .map(c -> c.toString().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")), "");
            }
            if (type == Path.class) {
                return new Expected("a file system path", "");
            }
            return new Expected("a value of type " + type.getSimpleName(), "");
        }
    }

    private static String origin(Origin origin) {
        return origin == null ? "" : " (set by " + origin + ")";
    }

    private static boolean isQuiesce(ConfigurationPropertyName name) {
        return !name.isEmpty() && name.getElement(0, ConfigurationPropertyName.Form.UNIFORM).equals(PREFIX);
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}

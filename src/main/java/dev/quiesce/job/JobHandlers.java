package dev.quiesce.job;

import dev.quiesce.api.ChildJobType;
import dev.quiesce.api.JobHandler;
import dev.quiesce.settings.InvalidConfigurationException;
import org.springframework.stereotype.Component;
import org.springframework.util.ClassUtils;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Every {@link JobHandler} bean by type, with its payload type read from its declaration, and every
 * {@link ChildJobType} bean. Two handlers (or two declarations) for one type, a type name a client could not post,
 * or a handler whose payload type cannot be read fail start-up.
 */
@Component
public class JobHandlers {

    /** What a job type may be called: it is posted in JSON, used as a metric tag and as a routing property key. */
    static final Pattern TYPE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final Map<String, JobHandler<?>> byType;
    private final Map<String, Class<?>> payloadTypes;
    private final Map<String, ChildJobType<?>> childTypes;
    private final Map<String, Class<?>> childPayloadTypes;

    public JobHandlers(List<JobHandler<?>> handlers, List<ChildJobType<?>> childJobTypes) {
        Map<String, JobHandler<?>> map = new TreeMap<>();
        Map<String, Class<?>> payloads = new TreeMap<>();
        for (JobHandler<?> handler : handlers) {
            String type = checkedName(handler.type(), handler);
            JobHandler<?> previous = map.putIfAbsent(type, handler);
            if (previous != null) {
                throw new InvalidConfigurationException("Two job handlers for type '" + type + "': "
                        + userClass(previous).getName() + " and " + userClass(handler).getName() + ".",
                        "Give one of them another type(), or remove one of the beans.");
            }
            payloads.put(type, PayloadTypes.of(handler, JobHandler.class));
        }
        Map<String, ChildJobType<?>> children = new TreeMap<>();
        Map<String, Class<?>> childPayloads = new TreeMap<>();
        for (ChildJobType<?> declaration : childJobTypes) {
            String type = checkedName(declaration.type(), declaration);
            ChildJobType<?> previous = children.putIfAbsent(type, declaration);
            if (previous != null) {
                throw new InvalidConfigurationException("Two ChildJobType beans for type '" + type + "': "
                        + userClass(previous).getName() + " and " + userClass(declaration).getName() + ".",
                        "Remove one of the beans.");
            }
            childPayloads.put(type, PayloadTypes.of(declaration, ChildJobType.class));
        }
        this.byType = Collections.unmodifiableMap(map);
        this.payloadTypes = Collections.unmodifiableMap(payloads);
        this.childTypes = Collections.unmodifiableMap(children);
        this.childPayloadTypes = Collections.unmodifiableMap(childPayloads);
    }

    public Optional<JobHandler<?>> find(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    /** The in-process types, sorted (an unknown type's 400 lists them). */
    public SortedSet<String> types() {
        return new TreeSet<>(byType.keySet());
    }

    /** The types a {@link ChildJobType} declares, sorted. */
    public SortedSet<String> declaredChildTypes() {
        return new TreeSet<>(childTypes.keySet());
    }

    Optional<ChildJobType<?>> childType(String type) {
        return Optional.ofNullable(childTypes.get(type));
    }

    public Class<?> payloadType(String type) {
        return payloadTypes.get(type);
    }

    Class<?> childPayloadType(String type) {
        return childPayloadTypes.get(type);
    }

    private static String checkedName(String type, Object bean) {
        if (type == null || !TYPE_NAME.matcher(type).matches()) {
            throw new InvalidConfigurationException(userClass(bean).getName() + ".type() is " + (type == null ? "null" : "'" + type + "'") + ".",
                    "Use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }
        return type;
    }

    static Class<?> userClass(Object bean) {
        return ClassUtils.getUserClass(bean);
    }
}

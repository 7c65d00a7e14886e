package dev.quiesce.dispatch;

import dev.quiesce.settings.InvalidConfigurationException;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/** Which job types each runner takes, resolved and checked once at start-up. */
record Routing(SortedSet<String> threadTypes, SortedSet<String> childTypes) {

    static Routing resolve(Map<String, String> configured, Set<String> handlerTypes, Set<String> childTaskTypes,
                           Set<String> declaredChildTypes, boolean childrenEnabled) {
        for (String type : declaredChildTypes) {
            if (!childTaskTypes.contains(type)) {
                throw new InvalidConfigurationException("A ChildJobType bean declares '" + type + "', but no ChildTask of that type is on the child class path.",
                        "List the task in META-INF/services/dev.quiesce.api.child.ChildTask of its jar, or remove the bean; child task types: "
                                + String.join(", ", childTaskTypes) + ".");
            }
        }
        SortedSet<String> threads = new TreeSet<>();
        SortedSet<String> children = new TreeSet<>();
        for (Map.Entry<String, String> route : configured.entrySet()) {
            String type = route.getKey();
            String property = "quiesce.routing." + type;
            switch (route.getValue().trim().toLowerCase(java.util.Locale.ROOT)) {
                case "thread" -> {
                    if (!handlerTypes.contains(type)) {
                        throw new InvalidConfigurationException(property + "=thread, but no in-process handler runs '" + type + "'.",
                                "Route it to child, or remove the property; in-process types: " + String.join(", ", handlerTypes) + ".");
                    }
                    threads.add(type);
                }
                case "child" -> {
                    if (!childTaskTypes.contains(type)) {
                        throw new InvalidConfigurationException(property + "=child, but no child task runs '" + type + "'.",
                                "Route it to thread, or remove the property; child task types: " + String.join(", ", childTaskTypes) + ".");
                    }
                    if (!childrenEnabled) {
                        throw new InvalidConfigurationException(property + "=child, but quiesce.children.size is 0.",
                                "Set quiesce.children.size to at least 1, or route '" + type + "' to thread.");
                    }
                    children.add(type);
                }
                default -> throw new InvalidConfigurationException(property + " is '" + route.getValue() + "'.",
                        "Set it to thread or child.");
            }
        }
        for (String type : handlerTypes) {
            if (!children.contains(type)) {
                threads.add(type);
            }
        }
        if (childrenEnabled) {
            for (String type : childTaskTypes) {
                if (!threads.contains(type) && !handlerTypes.contains(type)) {
                    children.add(type);
                }
            }
        }
        return new Routing(Collections.unmodifiableSortedSet(threads), Collections.unmodifiableSortedSet(children));
    }

    SortedSet<String> allTypes() {
        SortedSet<String> all = new TreeSet<>(threadTypes);
        all.addAll(childTypes);
        return all;
    }
}

package dev.quiesce.deploy;

import org.yaml.snakeyaml.Yaml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Kubernetes objects {@code helm template} rendered, parsed as plain maps and lists, with a small path
 * syntax ({@code spec.template.spec.containers[0].env}) so tests read like the manifest they check.
 */
record Manifests(List<Map<String, Object>> objects) {

    private static final Pattern STEP = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)]");

    @SuppressWarnings("unchecked")
    static Manifests parse(String rendered) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object document : new Yaml().loadAll(rendered)) {
            // A document holding only a "# Source:" comment (a template that rendered nothing) parses as null.
            if (document != null) {
                objects.add((Map<String, Object>) document);
            }
        }
        return new Manifests(List.copyOf(objects));
    }

    List<Map<String, Object>> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    boolean has(String kind) {
        return !ofKind(kind).isEmpty();
    }

    /** The one object of that kind; fails when there is none or more than one. */
    Map<String, Object> one(String kind) {
        List<Map<String, Object>> found = ofKind(kind);
        if (found.size() != 1) {
            throw new AssertionError("Expected one " + kind + " but the chart rendered " + found.size() + ": " + kinds());
        }
        return found.getFirst();
    }

    /** The object of that kind and name. */
    Map<String, Object> named(String kind, String name) {
        return ofKind(kind).stream().filter(o -> name.equals(at(o, "metadata.name"))).findFirst()
                .orElseThrow(() -> new AssertionError("No " + kind + " named " + name + " among " + kinds()));
    }

    List<String> kinds() {
        return objects.stream().map(o -> o.get("kind") + "/" + at(o, "metadata.name")).toList();
    }

    Map<String, Object> deployment() {
        return one("Deployment");
    }

    Map<String, Object> podSpec() {
        return map(deployment(), "spec.template.spec");
    }

    Map<String, Object> container() {
        return map(deployment(), "spec.template.spec.containers[0]");
    }

    /** The container's literal environment (name → value); variables read from a Secret are absent. */
    Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        for (Map<String, Object> variable : listOfMaps(container(), "env")) {
            if (variable.containsKey("value")) {
                env.put((String) variable.get("name"), String.valueOf(variable.get("value")));
            }
        }
        return env;
    }

    /** The container's variables read from a Secret: name → "secret/key". */
    Map<String, String> secretEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        for (Map<String, Object> variable : listOfMaps(container(), "env")) {
            if (at(variable, "valueFrom.secretKeyRef") != null) {
                env.put((String) variable.get("name"),
                        at(variable, "valueFrom.secretKeyRef.name") + "/" + at(variable, "valueFrom.secretKeyRef.key"));
            }
        }
        return env;
    }

    /** The value at a path such as {@code spec.ports[0].name}, or null where the path leads nowhere. */
    static Object at(Object root, String path) {
        Object node = root;
        Matcher step = STEP.matcher(path);
        while (step.find() && node != null) {
            if (step.group(1) != null) {
                node = node instanceof Map<?, ?> m ? m.get(step.group(1)) : null;
            } else {
                int index = Integer.parseInt(step.group(2));
                node = node instanceof List<?> l && index < l.size() ? l.get(index) : null;
            }
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object root, String path) {
        Object node = at(root, path);
        if (!(node instanceof Map<?, ?>)) {
            throw new AssertionError("No object at " + path + " (found " + node + ")");
        }
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> listOfMaps(Object root, String path) {
        Object node = at(root, path);
        return node == null ? List.of() : (List<Map<String, Object>>) node;
    }
}

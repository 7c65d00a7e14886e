package dev.quiesce.child;

import dev.quiesce.api.child.ChildTask;
import dev.quiesce.child.worker.task.FaultTask;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where the child JVMs' tasks come from beyond Quiesce's own: jars to put on each child's class path (the stock
 * service's plugins), the class loader that sees them in this JVM (to learn their types), whether the built-in fault
 * tasks are offered, and environment variables the built-in tasks read.
 */
public record ChildTaskSource(List<Path> extraClassPath, ClassLoader classLoader, boolean faultTypes,
                              Map<String, String> environment) {

    public ChildTaskSource {
        extraClassPath = List.copyOf(extraClassPath);
        environment = Map.copyOf(environment);
    }

    /** This JVM's class path only, fault tasks included (the pool's own tests and benchmarks). */
    public static ChildTaskSource thisClassPath() {
        return new ChildTaskSource(List.of(), ChildTaskSource.class.getClassLoader(), true, Map.of());
    }

    boolean offers(ChildTask task) {
        return faultTypes || !(task instanceof FaultTask);
    }
}

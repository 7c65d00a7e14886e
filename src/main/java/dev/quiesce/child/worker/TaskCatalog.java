package dev.quiesce.child.worker;

import dev.quiesce.api.child.ChildTask;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The {@link ChildTask}s on the class path, by type, loaded once with {@link ServiceLoader}. */
final class TaskCatalog {

    private final Map<String, ChildTask> tasks;

    private TaskCatalog(Map<String, ChildTask> tasks) {
        this.tasks = tasks;
    }

    static TaskCatalog load() {
        Map<String, ChildTask> tasks = new TreeMap<>();
        for (ChildTask task : ServiceLoader.load(ChildTask.class, TaskCatalog.class.getClassLoader())) {
            ChildTask previous = tasks.putIfAbsent(task.type(), task);
            if (previous != null) {
                ChildLog.line("two tasks of type '" + task.type() + "': keeping " + previous.getClass().getName()
                        + ", ignoring " + task.getClass().getName());
            }
        }
        return new TaskCatalog(tasks);
    }

    ChildTask find(String type) {
        ChildTask task = tasks.get(type);
        if (task == null) {
            throw new IllegalArgumentException("unknown child task type '" + type + "' (known: "
                    + String.join(", ", tasks.keySet()) + ")");
        }
        return task;
    }
}

package dev.quiesce.plugin;

import java.nio.file.Path;
import java.util.List;

/**
 * The plugin jars the stock service loaded at start-up and the class loader that holds them (the application class
 * loader when there are none). A bean of the stock service; an application using Quiesce as a library has none.
 */
public record Plugins(Path directory, List<Path> jars, ClassLoader classLoader) {

    public Plugins {
        jars = List.copyOf(jars);
    }

    public static Plugins none() {
        return new Plugins(null, List.of(), Plugins.class.getClassLoader());
    }
}

package dev.quiesce.plugin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;

/**
 * Plugins of the stock service (quiesce.plugins.*): jars that bring job types without a rebuild of Quiesce.
 * Read once, before the application context starts (a change needs a restart). Only the stock service
 * (java -jar quiesce-exec.jar, ./quiesce, the image) loads plugins; an application that uses Quiesce
 * as a library has its jobs on its own class path.
 *
 * @param dir the plugins directory: every *.jar in it (a plugin and the libraries it needs), in name order,
 *            is put on the service's class path and on every child JVM's. The default plugins is relative to
 *            the working directory and may be missing; a directory set explicitly must exist.
 */
@ConfigurationProperties("quiesce.plugins")
public record PluginProperties(@DefaultValue("plugins") Path dir) {

    public static final String DIR = "quiesce.plugins.dir";
}

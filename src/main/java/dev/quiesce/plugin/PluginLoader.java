package dev.quiesce.plugin;

import dev.quiesce.settings.InvalidConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.DefaultResourceLoader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Puts the plugin jars on the stock service's class path, once the environment is known and before the application
 * context is created: a class loader over {@code quiesce.plugins.dir}'s jars (child of the application's) becomes the
 * application's resource loader, so Spring finds the plugins' auto-configurations
 * ({@code META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports}), their beans and their
 * {@code ChildTask} service files. The loaded {@link Plugins} are registered as a bean for the child pool, whose
 * children get the same jars on their class path.
 */
public final class PluginLoader implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    private static final Logger log = LoggerFactory.getLogger(PluginLoader.class);

    /** Adds plugin loading to the stock service's application. */
    public static void install(SpringApplication application) {
        application.addListeners(new PluginLoader());
    }

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        Plugins plugins = load(event.getEnvironment(), event.getSpringApplication().getClassLoader());
        SpringApplication application = event.getSpringApplication();
        if (!plugins.jars().isEmpty()) {
            application.setResourceLoader(new DefaultResourceLoader(plugins.classLoader()));
            Thread.currentThread().setContextClassLoader(plugins.classLoader());
        }
        application.addInitializers(context -> context.getBeanFactory().registerSingleton("quiesce.plugins", plugins));
    }

    static Plugins load(ConfigurableEnvironment environment, ClassLoader parent) {
        boolean explicit = environment.containsProperty(PluginProperties.DIR);
        Path directory = Path.of(environment.getProperty(PluginProperties.DIR, "plugins")).toAbsolutePath().normalize();
        if (!Files.isDirectory(directory)) {
            if (explicit) {
                throw new InvalidConfigurationException(PluginProperties.DIR + " is " + directory + ", which is not a directory.",
                        "Create it and put the plugin jars in it, or remove the property (the default, ./plugins, may be missing).");
            }
            return new Plugins(directory, List.of(), parent);
        }
        List<Path> jars = jars(directory);
        if (jars.isEmpty()) {
            return new Plugins(directory, List.of(), parent);
        }
        List<URL> urls = new ArrayList<>();
        for (Path jar : jars) {
            try {
                urls.add(jar.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalStateException("cannot load plugin jar " + jar, e);
            }
        }
        log.info("Plugins: {} jar(s) from {}: {}", jars.size(), directory,
                jars.stream().map(jar -> jar.getFileName().toString()).toList());
        return new Plugins(directory, jars, new URLClassLoader("quiesce-plugins", urls.toArray(URL[]::new), parent));
    }

    private static List<Path> jars(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".jar") && Files.isRegularFile(file))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the plugins directory " + directory, e);
        }
    }
}

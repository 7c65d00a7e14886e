package dev.quiesce;

import dev.quiesce.plugin.PluginLoader;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * The stock service: Quiesce's auto-configuration ({@link dev.quiesce.autoconfigure.QuiesceAutoConfiguration}) and the
 * plugins in {@code quiesce.plugins.dir}. An application that uses Quiesce as a library has its own main class and
 * gets the same service from the auto-configuration alone.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class QuiesceApplication {

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(QuiesceApplication.class);
        PluginLoader.install(application);
        application.run(args);
    }
}

package dev.quiesce;

import dev.quiesce.plugin.PluginLoader;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The stock service: Quiesce's auto-configuration ({@link dev.quiesce.autoconfigure.QuiesceAutoConfiguration}) and the
 * plugins in {@code quiesce.plugins.dir}. An application that uses Quiesce as a library has its own main class and
 * gets the same service from the auto-configuration alone. (This class scans the same packages as the
 * auto-configuration, which then finds every component already registered; the scan here is what test slices such as
 * {@code @WebMvcTest} use.)
 */
@SpringBootApplication(proxyBeanMethods = false)
public class QuiesceApplication {

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(QuiesceApplication.class);
        PluginLoader.install(application);
        application.run(args);
    }
}

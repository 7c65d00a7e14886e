package dev.quiesce.plugin;

import dev.quiesce.settings.InvalidConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which jars become plugins, and what a missing directory means. */
class PluginLoaderTest {

    @TempDir
    Path dir;

    private final ClassLoader parent = getClass().getClassLoader();

    @Test
    void everyJarOfTheDirectoryInNameOrderIsLoadedAndItsResourcesAreVisible() throws IOException {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        jar(plugins.resolve("b-lib.jar"), "b.txt", "from b");
        jar(plugins.resolve("a-jobs.jar"), "a.txt", "from a");
        Files.writeString(plugins.resolve("README.txt"), "not a jar");

        Plugins loaded = PluginLoader.load(new MockEnvironment().withProperty(PluginProperties.DIR, plugins.toString()), parent);

        assertThat(loaded.jars()).extracting(jar -> jar.getFileName().toString()).containsExactly("a-jobs.jar", "b-lib.jar");
        assertThat(loaded.classLoader().getParent()).isSameAs(parent);
        try (InputStream in = loaded.classLoader().getResourceAsStream("b.txt")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("from b");
        }
    }

    @Test
    void theDefaultDirectoryMayBeMissingOrEmptyAndThenNothingChanges() throws IOException {
        Plugins none = PluginLoader.load(new MockEnvironment(), parent);
        assertThat(none.jars()).isEmpty();
        assertThat(none.classLoader()).isSameAs(parent);

        Path empty = Files.createDirectories(dir.resolve("empty"));
        Plugins alsoNone = PluginLoader.load(new MockEnvironment().withProperty(PluginProperties.DIR, empty.toString()), parent);
        assertThat(alsoNone.jars()).isEmpty();
        assertThat(alsoNone.classLoader()).isSameAs(parent);
    }

    @Test
    void aDirectorySetExplicitlyThatDoesNotExistFailsStartUpNamingTheProperty() {
        Path missing = dir.resolve("no-such-plugins");

        assertThatThrownBy(() -> PluginLoader.load(new MockEnvironment().withProperty(PluginProperties.DIR, missing.toString()), parent))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("quiesce.plugins.dir is " + missing).hasMessageContaining("not a directory");
    }

    private static void jar(Path file, String entry, String content) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(file))) {
            out.putNextEntry(new JarEntry(entry));
            out.write(content.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
    }
}

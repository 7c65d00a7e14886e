package dev.quiesce.child;

import dev.quiesce.settings.InvalidConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The child JVM's options, with and without the AOT cache the container image trains for it. */
class ChildCommandTest {

    /** The image's training script (run by the Dockerfile); the working directory of a test is the project. */
    private static final Path TRAINING_SCRIPT = Path.of("docker", "aot-training.sh");

    @TempDir
    Path dir;

    @Test
    void withAnAotCacheEachChildStartsWithItInPlaceOfTheClassDataSharingOptions() throws IOException {
        Path cache = Files.writeString(dir.resolve("child.aot"), "stands for a cache");

        List<String> command = ChildCommand.forThisJvm(ChildProperties.defaults().withAotCache(cache),
                ChildCommand.CHILD_MAIN, dir, ChildTaskSource.thisClassPath()).command();

        assertThat(command).contains("-XX:AOTCache=" + cache, "-XX:+UseSerialGC", "-Xmx128m");
        assertThat(command).as("-Xshare options, which the JVM refuses beside -XX:AOTCache")
                .noneMatch(option -> option.startsWith("-Xshare:"));
    }

    @Test
    void withoutAnAotCacheTheConfiguredOptionsAreKeptAsTheyAre() {
        List<String> command = ChildCommand.forThisJvm(ChildProperties.defaults(), ChildCommand.CHILD_MAIN, dir, ChildTaskSource.thisClassPath())
                .command();

        assertThat(command).containsSubsequence(ChildProperties.DEFAULT_JVM_OPTIONS);
        assertThat(command).noneMatch(option -> option.startsWith("-XX:AOTCache"));
    }

    @Test
    void pluginJarsFollowTheClassPathAndTheSourceEnvironmentReachesTheChild() {
        Path plugin = dir.resolve("plugins/acme-jobs.jar");
        ChildTaskSource source = new ChildTaskSource(List.of(plugin), getClass().getClassLoader(), false,
                java.util.Map.of("QUIESCE_JOURNAL_DIR", "/srv/journals"));

        ChildCommand child = ChildCommand.forThisJvm(ChildProperties.defaults(), ChildCommand.CHILD_MAIN, dir, source);

        String classPath = child.command().get(child.command().indexOf("-cp") + 1);
        assertThat(classPath).startsWith(System.getProperty("java.class.path")).endsWith(java.io.File.pathSeparator + plugin);
        assertThat(child.environment()).containsEntry("QUIESCE_JOURNAL_DIR", "/srv/journals");
    }

    @Test
    void anAotCacheThatIsNotAReadableFileFailsStartUpNamingTheProperty() {
        Path missing = dir.resolve("no-such.aot");

        assertThatThrownBy(() -> ChildProperties.defaults().withAotCache(missing))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("quiesce.children.aot-cache")
                .hasMessageContaining(missing.toString());
    }

    /**
     * A cache fits only the options it was trained with: the image's training run of a child must use exactly the
     * options the service gives a child when the cache is set (the output option in place of the cache option).
     */
    @Test
    void theImageTrainsTheChildCacheWithTheOptionsEachChildStartsWith() throws IOException {
        Path cache = Files.writeString(dir.resolve("child.aot"), "stands for a cache");
        List<String> expected = new ArrayList<>(ChildCommand.jvmOptions(ChildProperties.defaults().withAotCache(cache)));
        expected.remove("-XX:AOTCache=" + cache);

        List<String> trained = childTrainingOptions(Files.readString(TRAINING_SCRIPT));

        assertThat(trained).as("options of the child training run in " + TRAINING_SCRIPT)
                .anyMatch(option -> option.startsWith("-XX:AOTCacheOutput="));
        assertThat(trained.stream().filter(option -> !option.startsWith("-XX:AOTCacheOutput=")).toList())
                .as("options of the child training run in %s, without its output option", TRAINING_SCRIPT)
                .containsExactlyElementsOf(expected);
    }

    /** The words between {@code "$java"} and {@code -cp} of the script's command that runs ChildMain. */
    private static List<String> childTrainingOptions(String script) {
        String joined = script.replace("\\\n", " ");
        String command = joined.lines().filter(line -> line.contains(ChildCommand.CHILD_MAIN)).findFirst()
                .orElseThrow(() -> new AssertionError("no line runs " + ChildCommand.CHILD_MAIN + " in " + TRAINING_SCRIPT));
        List<String> words = Arrays.stream(command.trim().split("\\s+")).toList();
        int java = words.indexOf("\"$java\"");
        int classPath = words.indexOf("-cp");
        assertThat(java).as("\"$java\" in: %s", command).isNotNegative();
        assertThat(classPath).as("-cp after \"$java\" in: %s", command).isGreaterThan(java);
        return words.subList(java + 1, classPath);
    }
}

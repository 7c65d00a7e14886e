package dev.quiesce.child;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;

/**
 * The command line and environment of a child JVM: the service's own {@code java} binary and class path, the
 * configured JVM options, and a minimal environment. Prefixed with {@code setsid} where it exists, so the
 * child has its own session and a terminal's Ctrl+C (SIGINT to the foreground process group) reaches only
 * the service, which then stops its children in order.
 *
 * <p>From a Spring Boot fat jar ({@code java -jar quiesce.jar}) the child classes sit in
 * {@code BOOT-INF/classes}: the child runs from a plain jar of them in the data directory ({@link ChildJar});
 * anywhere else (tests, IDE, the container image's extracted layout) it runs the main class from this JVM's class
 * path. In the image that path ({@code /app/quiesce.jar}) is fixed, so a child AOT cache trained on it at build
 * time fits ({@link ChildProperties#aotCache()}).
 */
record ChildCommand(List<String> command, Map<String, String> environment) {

    static final String CHILD_MAIN = "dev.quiesce.child.worker.ChildMain";
    static final String PARENT_PID_VARIABLE = "QUIESCE_PARENT_PID";
    private static final String BOOT_LAUNCHER_PACKAGE = "org.springframework.boot.loader.launch.";
    private static final List<String> PASSED_VARIABLES = List.of("PATH", "LANG", "LC_ALL", "TZ", "TMPDIR", "JAVA_HOME");

    /** The command for this JVM's class path and the source's extra jars, running {@code mainClass}. */
    static ChildCommand forThisJvm(ChildProperties properties, String mainClass, Path dataDirectory, ChildTaskSource source) {
        List<String> command = new ArrayList<>();
        setsid().ifPresent(command::add);
        command.add(javaBinary());
        command.addAll(jvmOptions(properties));
        String classPath = System.getProperty("java.class.path");
        if (isBootFatJar(classPath)) {
            classPath = ChildJar.extract(Path.of(classPath), dataDirectory);
        }
        List<String> entries = new ArrayList<>();
        entries.add(classPath);
        source.extraClassPath().forEach(jar -> entries.add(jar.toString()));
        command.addAll(List.of("-cp", String.join(File.pathSeparator, entries), mainClass));
        Map<String, String> variables = new LinkedHashMap<>(source.environment());
        variables.putAll(properties.environment());
        return new ChildCommand(List.copyOf(command), environment(variables));
    }

    /**
     * The child JVM's options: ours, then the configured ones; with an AOT cache, the cache in place of any
     * {@code -Xshare} option, which the JVM refuses beside it. The image trains the cache with these very options
     * ({@code docker/aot-training.sh}).
     */
    static List<String> jvmOptions(ChildProperties properties) {
        List<String> options = new ArrayList<>();
        options.add("--enable-native-access=ALL-UNNAMED");
        // HotSpot prints its own messages (e.g. "Terminating due to java.lang.OutOfMemoryError") on stdout,
        // which in a child belongs to the protocol.
        options.add("-XX:+DisplayVMOutputToStderr");
        Path aotCache = properties.aotCache();
        for (String option : properties.jvmOptions()) {
            if (aotCache == null || !option.startsWith("-Xshare:")) {
                options.add(option);
            }
        }
        if (aotCache != null) {
            options.add("-XX:AOTCache=" + aotCache);
        }
        return options;
    }

    /** PATH and locale of the service, the configured variables, and this JVM's pid — nothing else. */
    static Map<String, String> environment(Map<String, String> configured) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : PASSED_VARIABLES) {
            String value = System.getenv(name);
            if (value != null) {
                env.put(name, value);
            }
        }
        env.putAll(configured);
        env.put(PARENT_PID_VARIABLE, Long.toString(ProcessHandle.current().pid()));
        return Map.copyOf(env);
    }

    static boolean isBootFatJar(String classPath) {
        if (classPath == null || classPath.contains(File.pathSeparator) || !classPath.endsWith(".jar")) {
            return false;
        }
        try (JarFile jar = new JarFile(classPath)) {
            var manifest = jar.getManifest();
            String main = manifest == null ? null : manifest.getMainAttributes().getValue("Main-Class");
            return main != null && main.startsWith(BOOT_LAUNCHER_PACKAGE);
        } catch (IOException e) {
            return false; // not a readable jar: treat it as a plain class path entry
        }
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .filter(c -> Path.of(c).getFileName().toString().startsWith("java"))
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static java.util.Optional<String> setsid() {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "/usr/bin:/bin" : path).split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "setsid");
            if (Files.isExecutable(candidate)) {
                return java.util.Optional.of(candidate.toString());
            }
        }
        return java.util.Optional.empty();
    }
}

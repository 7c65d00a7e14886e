package dev.quiesce.process;

import dev.quiesce.testing.QuiesceProcesses;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The example project users copy ({@code examples/report-jobs}), built once per test run as a user builds it: with
 * Maven, against the Quiesce jar this build packaged. That jar and its pom are installed into a private local
 * repository ({@code <build dir>/examples-repo}), which the example's build reads as a read-only tail of the usual
 * local repository ({@code maven.repo.local.tail}, Maven 3.9): the user's {@code ~/.m2} never sees a test's snapshot,
 * and everything else (Spring Boot's parent, commonmark, Maven's plugins) comes from it, warm, or from Maven Central
 * into it. Not offline ({@code -o}): a fresh machine's {@code ~/.m2} has what {@code ./mvnw verify} needed, not
 * necessarily the install and dependency plugins. The example is built from a copy in the build directory, so the
 * source tree gets no {@code target/} and {@code clean} removes everything.
 *
 * <p>Both example IT classes share the one build; a failed build fails each of them with the same log tail.
 *
 * @param pluginsDir      the plugin jar and its libraries (commonmark), as a {@code quiesce.plugins.dir}
 * @param applicationJar  the example's Spring Boot application (Quiesce as a library)
 */
record ExampleProject(Path pluginsDir, Path applicationJar) {

    /** Only stops a hung build; a first build on a cold machine downloads a few plugins. */
    private static final Duration BUILD_BOUND = Duration.ofMinutes(10);
    private static final String NAME = "report-jobs";
    private static final String VERSION = "1.0.0";

    private static ExampleProject built;
    private static AssertionError failed;

    /** The example, built on first use. */
    static synchronized ExampleProject built() {
        if (failed != null) {
            throw failed;
        }
        if (built == null) {
            try {
                long started = System.nanoTime();
                built = build();
                System.out.printf("example %s built in %d ms%n", NAME, Duration.ofNanos(System.nanoTime() - started).toMillis());
            } catch (AssertionError | RuntimeException e) {
                failed = e instanceof AssertionError error ? error : new AssertionError("building the example failed: " + e, e);
                throw failed;
            }
        }
        return built;
    }

    private static ExampleProject build() {
        Path basedir = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        Path serviceJar = QuiesceProcesses.packagedJar().toAbsolutePath();
        Path libraryJar = serviceJar.resolveSibling(serviceJar.getFileName().toString().replace("-exec.jar", ".jar"));
        Path work = serviceJar.getParent().resolve("examples");
        Path repository = serviceJar.getParent().resolve("examples-repo");
        deleteRecursively(work);
        deleteRecursively(repository);
        Path project = copyProject(basedir.resolve("examples").resolve(NAME), work.resolve(NAME));
        Path log = work.resolve("build.log");

        maven(basedir, log, "install:install-file", "-Dfile=" + libraryJar, "-DpomFile=" + basedir.resolve("pom.xml"),
                "-DlocalRepositoryPath=" + repository);
        maven(basedir, log, "-f", project.resolve("pom.xml").toString(), "-Dmaven.repo.local.tail=" + repository, "package");

        Path target = project.resolve("target");
        Path plugins = work.resolve("plugins");
        try {
            Files.createDirectories(plugins);
            Files.copy(target.resolve(NAME + "-" + VERSION + ".jar"), plugins.resolve(NAME + "-" + VERSION + ".jar"));
            try (Stream<Path> libraries = Files.list(target.resolve("plugin"))) {
                for (Path library : libraries.toList()) {
                    Files.copy(library, plugins.resolve(library.getFileName()));
                }
            }
        } catch (IOException e) {
            throw new AssertionError("the example's build did not produce the plugin jar and its libraries in " + target
                    + ": " + e, e);
        }
        return new ExampleProject(plugins, target.resolve(NAME + "-" + VERSION + "-app.jar"));
    }

    /** Runs {@code ./mvnw -B -ntp <arguments>} with this JVM's JDK, appending its output to {@code log}. */
    private static void maven(Path basedir, Path log, String... arguments) {
        List<String> command = new ArrayList<>(List.of(basedir.resolve("mvnw").toString(), "-B", "-ntp"));
        // The outer build's local repository (CI may name another one): the nested build resolves from the same.
        String localRepository = System.getProperty("quiesce.maven.repo.local");
        if (localRepository != null && !localRepository.isBlank()) {
            command.add("-Dmaven.repo.local=" + localRepository);
        }
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(basedir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        try {
            Files.writeString(log, "$ " + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            Process process = builder.start();
            if (!process.waitFor(BUILD_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
                process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError("the example's build did not finish within " + BUILD_BOUND + ": " + command
                        + "\n" + tail(log));
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("the example's build failed (exit " + process.exitValue() + "): " + command
                        + "\n" + tail(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while building the example", e);
        }
    }

    /** The project's sources, without any build output a developer left in it. */
    private static Path copyProject(Path source, Path target) {
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path relative = source.relativize(file);
                if (!relative.toString().isEmpty() && relative.getName(0).toString().startsWith("target")) {
                    continue;
                }
                Path copy = target.resolve(relative.toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy);
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("could not copy the example " + source, e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "---- " + log + ", last lines ----\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(could not read " + log + ": " + e + ")";
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + root + " before building the example", e);
        }
    }
}

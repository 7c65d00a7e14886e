package dev.quiesce.deploy;

import dev.quiesce.deploy.Dockerfile.Instruction;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The image's file system, rebuilt for a test under one local directory the way the Dockerfile builds it: the
 * packaged jar extracted with the Dockerfile's own command, its layers copied to {@code app/} in the order of its
 * {@code COPY --from=build} instructions, the AOT caches trained by the same script, and fresh {@code data/}.
 * Image paths ({@code /app}, {@code /data}) in a command or a variable are mapped to these directories;
 * {@code java} becomes this JDK's java (the test runs on JDK 25) and {@code /usr/bin/tini} the machine's tini.
 */
final class PodLayout {

    /** The image's directories that the layout stands in for. */
    private static final List<String> IMAGE_DIRECTORIES = List.of("/app", "/data");
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    private static final Path TRAINING_SCRIPT = Path.of("docker", "aot-training.sh");
    private static final Duration STEP_BOUND = Duration.ofMinutes(5);

    private final Path root;
    private final Path tini;

    private PodLayout(Path root, Path tini) {
        this.root = root;
        this.tini = tini;
    }

    /**
     * Extracts {@code jar} under {@code root} as the Dockerfile's build stage does and lays out {@code app/} as
     * its runtime stage does; with {@code trainAotCaches}, runs the runtime stage's training script on it.
     */
    static PodLayout build(Dockerfile dockerfile, Path jar, Path root, Path tini, boolean trainAotCaches, Path log) {
        PodLayout layout = new PodLayout(root, tini);
        createDirectories(root);
        layout.extract(dockerfile, jar, log);
        layout.copyLayers(dockerfile);
        createDirectories(layout.app());
        createDirectories(layout.data());
        if (trainAotCaches) {
            layout.train(dockerfile, log);
        }
        return layout;
    }

    Path app() {
        return root.resolve("app");
    }

    Path data() {
        return root.resolve("data");
    }

    /** A command of the image, with its executables and paths mapped to this layout. */
    List<String> command(List<String> imageCommand) {
        List<String> command = new ArrayList<>();
        for (String word : imageCommand) {
            if (word.equals("java")) {
                command.add(JAVA.toString());
            } else if (word.equals("/usr/bin/tini")) {
                command.add(tini.toString());
            } else {
                command.add(map(word));
            }
        }
        return command;
    }

    /** Variables of the image, with the paths in their values mapped to this layout. */
    Map<String, String> environment(Map<String, String> imageEnvironment) {
        Map<String, String> env = new LinkedHashMap<>();
        imageEnvironment.forEach((name, value) -> env.put(name, map(value)));
        return env;
    }

    /** {@code /app/x} → {@code <root>/app/x}, also after an {@code =} as in {@code -XX:AOTCache=/app/x}. */
    String map(String word) {
        String mapped = word;
        for (String directory : IMAGE_DIRECTORIES) {
            Matcher matcher = Pattern.compile("(^|=)" + Pattern.quote(directory) + "(?=/|$)").matcher(mapped);
            mapped = matcher.replaceAll(m -> Matcher.quoteReplacement(m.group(1) + root.resolve(directory.substring(1))));
        }
        return mapped;
    }

    /**
     * The build stage's {@code cp target/quiesce-*-exec.jar /quiesce.jar} (the name decides the application jar's) and
     * {@code java -Djarmode=tools -jar /quiesce.jar extract ... --destination /extract}.
     */
    private void extract(Dockerfile dockerfile, Path jar, Path log) {
        Path renamed = root.resolve("quiesce.jar");
        try {
            Files.copy(jar, renamed, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Instruction run = dockerfile.stage("build").all("RUN").stream()
                .filter(i -> i.arguments().contains("-Djarmode=tools")).findFirst()
                .orElseThrow(() -> new AssertionError("the build stage does not extract the jar with -Djarmode=tools"));
        List<String> command = new ArrayList<>();
        for (String word : run.words()) {
            command.add(switch (word) {
                case "java" -> JAVA.toString();
                case "/quiesce.jar" -> renamed.toString();
                case "/extract" -> root.resolve("extract").toString();
                default -> word;
            });
        }
        run(command, Map.of(), log);
    }

    /** The runtime stage's {@code COPY --from=build /extract/<layer>/ ./} into its {@code WORKDIR}, in order. */
    private void copyLayers(Dockerfile dockerfile) {
        String workdir = dockerfile.runtime().last("WORKDIR").map(Instruction::arguments)
                .orElseThrow(() -> new AssertionError("the runtime stage has no WORKDIR"));
        for (Instruction copy : dockerfile.runtime().all("COPY")) {
            List<String> words = copy.words();
            if (!words.contains("--from=build")) {
                continue;
            }
            String source = words.get(words.size() - 2);
            String target = words.getLast();
            if (!source.startsWith("/extract/") || !target.equals("./")) {
                throw new AssertionError("cannot lay out COPY " + copy.arguments());
            }
            copyTree(root.resolve(source.substring(1)), Path.of(map(workdir)));
        }
    }

    /** The runtime stage's {@code RUN sh /app/aot-training.sh /app}, with the script its COPY takes. */
    private void train(Dockerfile dockerfile, Path log) {
        String expected = "sh /app/aot-training.sh /app";
        boolean runs = dockerfile.runtime().all("RUN").stream().anyMatch(i -> i.arguments().startsWith(expected));
        if (!runs) {
            throw new AssertionError("the runtime stage does not run '" + expected + "'; update " + getClass().getSimpleName());
        }
        try {
            Files.copy(TRAINING_SCRIPT, app().resolve("aot-training.sh"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run(List.of("sh", map("/app/aot-training.sh"), map("/app")), Map.of("JAVA", JAVA.toString()), log);
    }

    private void run(List<String> command, Map<String, String> env, Path log) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().keySet().removeIf(name -> name.startsWith("QUIESCE_"));
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(STEP_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish within " + STEP_BOUND + "; see " + log);
            }
            if (process.exitValue() != 0) {
                throw new AssertionError(command + " failed with " + process.exitValue() + "; output:\n"
                        + Files.readString(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    // With their timestamps, as COPY keeps them (an AOT cache checks them).
                    Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from + " to " + to, e);
        }
    }

    private static void createDirectories(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

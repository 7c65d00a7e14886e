package dev.quiesce.deploy;

import dev.quiesce.deploy.Dockerfile.Instruction;
import dev.quiesce.deploy.Dockerfile.Stage;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the image promises, read from the Dockerfile itself (no Docker engine runs here; {@link PodSimulationIT}
 * runs its entrypoint, {@link ImageIT} builds it where Docker exists).
 */
class DockerfileTest {

    private static final Path TRAINING_SCRIPT = Path.of("docker", "aot-training.sh");
    private static final Path DOCKERIGNORE = Path.of(".dockerignore");
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(token|password|passwd|secret|credential|key).*");

    private final Dockerfile dockerfile = Dockerfile.project();

    @Test
    void aJdk25StageBuildsWithTheMavenWrapperAndTheImageIsAJre25() {
        Stage build = dockerfile.stage("build");

        assertThat(build.from()).startsWith("eclipse-temurin:25-jdk");
        assertThat(build.all("RUN")).extracting(Instruction::arguments)
                .anyMatch(run -> run.contains("./mvnw") && run.contains(" package"))
                .anyMatch(run -> run.contains("-Djarmode=tools") && run.contains("extract"));
        assertThat(dockerfile.runtime().from()).isEqualTo("eclipse-temurin:25-jre");
    }

    @Test
    void theEntrypointIsExecFormWithTiniAsPid1InFrontOfJavaAndNoShell() {
        List<String> entrypoint = dockerfile.entrypoint();

        assertThat(entrypoint.getFirst()).as("PID 1").isEqualTo("/usr/bin/tini");
        assertThat(entrypoint.get(entrypoint.indexOf("--") + 1)).as("what tini runs").isEqualTo("java");
        assertThat(entrypoint).as("a shell in front of java would keep the stop signal from it")
                .doesNotContain("sh", "/bin/sh", "bash", "/bin/bash", "-c");
        assertThat(entrypoint.subList(entrypoint.size() - 2, entrypoint.size())).containsExactly("-jar", "/app/quiesce.jar");
        assertThat(dockerfile.runtime().all("RUN")).extracting(Instruction::arguments)
                .as("tini installed from the distribution").anyMatch(run -> run.contains("apt-get install") && run.contains("tini"));
    }

    @Test
    void theServiceAndItsChildrenStartFromAotCachesTrainedWhenTheImageIsBuilt() throws IOException {
        List<Instruction> runtime = dockerfile.runtime().instructions();
        int lastLayer = lastIndexOf(runtime, i -> i.keyword().equals("COPY") && i.arguments().contains("--from=build"));
        int training = lastIndexOf(runtime, i -> i.keyword().equals("RUN") && i.arguments().startsWith("sh /app/aot-training.sh /app"));
        int user = lastIndexOf(runtime, i -> i.keyword().equals("USER"));
        String script = Files.readString(TRAINING_SCRIPT);

        assertThat(dockerfile.entrypoint()).contains("-XX:AOTCache=/app/quiesce.aot");
        assertThat(dockerfile.environment()).containsEntry("QUIESCE_CHILDREN_AOTCACHE", "/app/child.aot");
        assertThat(script).contains("-XX:AOTCacheOutput=\"$app/quiesce.aot\"", "-XX:AOTCacheOutput=\"$app/child.aot\"",
                "-jar \"$app/quiesce.jar\"", "-Dspring.context.exit=onRefresh");
        assertThat(training).as("the training run, after the application's layers and as root (before USER)")
                .isGreaterThan(lastLayer).isLessThan(user);
    }

    @Test
    void itRunsAsANumericNonRootUserWhoCanWriteOnlyTheTempAndDataDirectories() {
        Stage runtime = dockerfile.runtime();

        assertThat(runtime.last("USER")).map(Instruction::arguments).contains("10001:10001");
        assertThat(runtime.last("VOLUME")).map(dockerfile::execForm).contains(List.of("/tmp", "/data"));
        assertThat(runtime.all("RUN")).extracting(Instruction::arguments)
                .anyMatch(run -> run.contains("install -d -o 10001 -g 10001") && run.endsWith(" /data"));
        assertThat(runtime.all("COPY")).extracting(Instruction::arguments)
                .as("files owned by root, read-only for the service").noneMatch(copy -> copy.contains("--chown"));
        assertThat(dockerfile.environment()).containsEntry("QUIESCE_DATADIR", "/data");
    }

    @Test
    void pluginsHaveTheirDirectoryInTheWorkingDirectoryAndTheFaultTypesStayOff() {
        Stage runtime = dockerfile.runtime();

        assertThat(runtime.last("WORKDIR")).map(Instruction::arguments).contains("/app");
        assertThat(runtime.all("RUN")).extracting(Instruction::arguments).contains("mkdir -p /app/plugins");
        assertThat(dockerfile.environment()).doesNotContainKeys("QUIESCE_BUILTIN_FAULTTYPES", "QUIESCE_PLUGINS_DIR");
    }

    @Test
    void itStopsOnSigtermAndExposesTheApiAndManagementPorts() {
        Stage runtime = dockerfile.runtime();

        assertThat(runtime.last("STOPSIGNAL")).map(Instruction::arguments).contains("SIGTERM");
        assertThat(runtime.last("EXPOSE")).map(Instruction::words).contains(List.of("8080", "8081"));
    }

    @Test
    void noSecretIsBakedIntoAnyStage() {
        for (Stage stage : dockerfile.stages()) {
            for (Instruction instruction : stage.instructions()) {
                if (instruction.keyword().equals("ENV") || instruction.keyword().equals("ARG")) {
                    assertThat(instruction.words()).as("%s in stage %s", instruction.keyword(), stage.from())
                            .noneMatch(word -> SECRET_NAME.matcher(word.split("=", 2)[0]).matches());
                }
            }
        }
    }

    @Test
    void theBuildContextIsOnlyWhatTheCopyInstructionsTake() throws IOException {
        List<String> patterns = Files.readAllLines(DOCKERIGNORE).stream().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        List<String> allowed = patterns.stream().filter(p -> p.startsWith("!")).map(p -> clean(p.substring(1))).toList();

        assertThat(patterns.getFirst()).as("the first pattern of %s: exclude everything", DOCKERIGNORE).isEqualTo("*");
        assertThat(dockerfile.contextSources()).as("what COPY takes from the build context").isNotEmpty()
                .allSatisfy(source -> assertThat(allowed).as("allowed by %s", DOCKERIGNORE)
                        .anyMatch(a -> clean(source).equals(a) || clean(source).startsWith(a + "/")));
        assertThat(allowed).as("allowed by %s", DOCKERIGNORE)
                .noneMatch(a -> a.startsWith("target") || a.startsWith("data") || a.startsWith(".git") || a.equals("src"));
    }

    private static String clean(String path) {
        String cleaned = path.startsWith("/") ? path.substring(1) : path;
        return cleaned.endsWith("/") ? cleaned.substring(0, cleaned.length() - 1) : cleaned;
    }

    private static int lastIndexOf(List<Instruction> instructions, java.util.function.Predicate<Instruction> test) {
        for (int i = instructions.size() - 1; i >= 0; i--) {
            if (test.test(instructions.get(i))) {
                return i;
            }
        }
        throw new AssertionError("no such instruction in the runtime stage");
    }
}

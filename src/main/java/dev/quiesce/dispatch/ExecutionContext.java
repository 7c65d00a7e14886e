package dev.quiesce.dispatch;

import dev.quiesce.job.JobContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The {@link JobContext} of one in-process execution. */
final class ExecutionContext implements JobContext {

    private static final Logger log = LoggerFactory.getLogger(ExecutionContext.class);

    private final Execution execution;
    private final JsonMapper mapper;
    private final Path scratchRoot;
    private JsonNode payload;
    private Path scratchDir;
    private volatile double progress;

    ExecutionContext(Execution execution, JsonMapper mapper, Path scratchRoot) {
        this.execution = execution;
        this.mapper = mapper;
        this.scratchRoot = scratchRoot;
    }

    @Override
    public long jobId() {
        return execution.id();
    }

    @Override
    public int attempt() {
        return execution.job().attempts();
    }

    @Override
    public JsonNode payload() {
        if (payload == null) {
            payload = mapper.readTree(execution.job().payload());
        }
        return payload;
    }

    @Override
    public boolean isCancelled() {
        return execution.isCancelled();
    }

    @Override
    public Path scratchDir() throws IOException {
        if (scratchDir == null) {
            scratchDir = Files.createDirectories(scratchRoot.resolve("job-" + jobId() + "-attempt-" + attempt()));
        }
        return scratchDir;
    }

    @Override
    public void progress(double fraction) {
        progress = Math.clamp(fraction, 0.0, 1.0);
    }

    double progress() {
        return progress;
    }

    /** Removes the scratch directory, if the job used one. */
    void cleanUp() {
        if (scratchDir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(scratchDir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            log.warn("Could not remove the scratch directory {} of job {}: {}", scratchDir, jobId(), e.toString());
        }
    }
}

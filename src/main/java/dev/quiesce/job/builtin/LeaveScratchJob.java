package dev.quiesce.job.builtin;

import dev.quiesce.api.JobContext;
import dev.quiesce.api.JobHandler;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fault job {@code leave-scratch} {@code {"files": 1}}: writes that many files into its scratch directory and
 * returns without removing them — a job that forgets its temporary files. The service removes the directory
 * after the job and counts a {@code scratch_dir} leak.
 */
@Component
@ConditionalOnBooleanProperty(BuiltinProperties.FAULT_TYPES)
class LeaveScratchJob implements JobHandler<JsonNode> {

    @Override
    public String type() {
        return "leave-scratch";
    }

    @Override
    public String description() {
        return "Fault type: leaves {\"files\"} files in its scratch directory (removed and counted).";
    }

    @Override
    public void validate(JsonNode payload) {
        Payloads.requireObject(payload, type());
        Payloads.optionalLong(payload, "files", 1, 1000, 1);
    }

    @Override
    public String run(JsonNode payload, JobContext context) throws Exception {
        long files = Payloads.optionalLong(payload, "files", 1, 1000, 1);
        Path dir = context.scratchDir();
        for (long i = 0; i < files; i++) {
            Files.writeString(dir.resolve("left-" + i + ".tmp"), "left behind by job " + context.jobId());
        }
        return "left " + files + " file(s) in " + dir;
    }
}

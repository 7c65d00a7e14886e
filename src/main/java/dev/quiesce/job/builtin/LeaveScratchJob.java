package dev.quiesce.job.builtin;

import dev.quiesce.job.JobContext;
import dev.quiesce.job.JobHandler;
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
class LeaveScratchJob implements JobHandler {

    @Override
    public String type() {
        return "leave-scratch";
    }

    @Override
    public void validate(JsonNode payload) {
        Payloads.requireObject(payload, type());
        Payloads.optionalLong(payload, "files", 1, 1000, 1);
    }

    @Override
    public String run(JobContext context) throws Exception {
        long files = Payloads.optionalLong(context.payload(), "files", 1, 1000, 1);
        Path dir = context.scratchDir();
        for (long i = 0; i < files; i++) {
            Files.writeString(dir.resolve("left-" + i + ".tmp"), "left behind by job " + context.jobId());
        }
        return "left " + files + " file(s) in " + dir;
    }
}

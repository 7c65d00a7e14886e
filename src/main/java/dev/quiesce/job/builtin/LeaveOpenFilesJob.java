package dev.quiesce.job.builtin;

import dev.quiesce.api.JobContext;
import dev.quiesce.api.JobHandler;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Fault job {@code leave-open-files} {@code {"count": 64}}: opens that many file descriptors ({@code /dev/null})
 * and never closes them — held from a static list, so no cleaner closes them either. Nothing can attribute an
 * open descriptor to a job, so the shutdown audit finds them as {@code file_descriptor} leaks: descriptors open
 * above the start-up baseline beyond the tolerance.
 */
@Component
@ConditionalOnBooleanProperty(BuiltinProperties.FAULT_TYPES)
class LeaveOpenFilesJob implements JobHandler<JsonNode> {

    private static final List<FileChannel> LEFT_OPEN = new CopyOnWriteArrayList<>();

    @Override
    public String type() {
        return "leave-open-files";
    }

    @Override
    public String description() {
        return "Fault type: opens {\"count\"} files and never closes them (a leak the audit counts).";
    }

    @Override
    public void validate(JsonNode payload) {
        Payloads.requireObject(payload, type());
        Payloads.optionalLong(payload, "count", 1, 1000, 64);
    }

    @Override
    public String run(JsonNode payload, JobContext context) throws Exception {
        long count = Payloads.optionalLong(payload, "count", 1, 1000, 64);
        for (long i = 0; i < count; i++) {
            LEFT_OPEN.add(FileChannel.open(Path.of("/dev/null")));
        }
        return "left " + count + " file descriptor(s) open";
    }
}

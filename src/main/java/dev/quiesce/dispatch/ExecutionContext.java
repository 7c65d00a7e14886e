package dev.quiesce.dispatch;

import dev.quiesce.api.JobContext;
import dev.quiesce.leak.LeakKind;
import dev.quiesce.leak.Leaks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The {@link JobContext} of one in-process execution. */
final class ExecutionContext implements JobContext {

    private final Execution execution;
    private final Path scratchRoot;
    private final Leaks leaks;
    private Path scratchDir;

    ExecutionContext(Execution execution, Path scratchRoot, Leaks leaks) {
        this.execution = execution;
        this.leaks = leaks;
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
        execution.progress(fraction);
    }

    /**
     * Removes the scratch directory, if the job used one. A job should leave it empty; one that left files there
     * leaked them ({@code scratch_dir}): removed and counted, or outstanding if they cannot be removed.
     */
    void cleanUp() {
        if (scratchDir == null) {
            return;
        }
        boolean leftFiles = ScratchDirectories.hasContent(scratchDir);
        if (ScratchDirectories.remove(scratchDir)) {
            if (leftFiles) {
                leaks.reclaimed(LeakKind.SCRATCH_DIR, 1, "directory " + scratchDir + " left non-empty by job " + jobId()
                        + " (" + execution.job().type() + "), removed");
            }
        } else {
            Path dir = scratchDir;
            leaks.detected(LeakKind.SCRATCH_DIR, dir, "directory " + dir + " of job " + jobId() + " cannot be removed",
                    () -> Files.exists(dir));
        }
    }
}

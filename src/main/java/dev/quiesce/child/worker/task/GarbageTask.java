package dev.quiesce.child.worker.task;

import dev.quiesce.api.child.ChildTask;
import dev.quiesce.api.child.TaskContext;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Fault task {@code garbage} {@code {"ms": N?}}: writes bytes that are no frame straight to the protocol's
 * file descriptor (fd 1; {@code System.out} was pointed elsewhere), then sleeps N ms (default 60 s). The
 * first byte, 0x7f, makes a length prefix far beyond any frame limit, so the service's next read fails
 * with a protocol error.
 */
public final class GarbageTask implements FaultTask {

    static final byte[] JUNK = "\u007fGARBAGE: this is not a frame\n".getBytes(StandardCharsets.US_ASCII);

    /** Never closed: closing it would close fd 1 itself. */
    private static final FileOutputStream PROTOCOL_FD = new FileOutputStream(FileDescriptor.out);

    @Override
    public String type() {
        return "garbage";
    }

    @Override
    public String run(TaskContext context) throws IOException, InterruptedException {
        long ms = context.optionalLong("ms", 0, SleepTask.MAX_MS, 60_000);
        PROTOCOL_FD.write(JUNK);
        PROTOCOL_FD.flush();
        Thread.sleep(ms);
        return "wrote " + JUNK.length + " bytes of garbage";
    }
}

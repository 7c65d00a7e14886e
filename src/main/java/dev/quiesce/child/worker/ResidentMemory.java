package dev.quiesce.child.worker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * This JVM's resident set size, from the {@code VmRSS} line of {@code /proc/self/status}. The file stays
 * open: reading it again from offset 0 makes the kernel render it afresh, which keeps the per-task
 * stats frame cheap. Returns -1 where there is no such file.
 */
final class ResidentMemory {

    /**
     * How long a reading is reused. Rendering {@code /proc/self/status} costs 40-70 µs, as much as a trivial
     * task's whole round trip; recycling above max-rss does not need a fresher figure than this.
     */
    private static final long MAX_AGE_NANOS = 100_000_000L;

    private final FileChannel status;
    private final ByteBuffer buffer = ByteBuffer.allocate(8192);
    private long lastBytes = -1;
    private long lastReadNanos;
    private boolean read;

    ResidentMemory() {
        FileChannel channel;
        try {
            channel = FileChannel.open(Path.of("/proc/self/status"));
        } catch (IOException | UnsupportedOperationException e) {
            channel = null; // not Linux: the stats frame says -1 (unknown)
        }
        this.status = channel;
    }

    synchronized long bytes() {
        if (status == null) {
            return -1;
        }
        long now = System.nanoTime();
        if (read && now - lastReadNanos < MAX_AGE_NANOS) {
            return lastBytes;
        }
        read = true;
        lastReadNanos = now;
        lastBytes = readNow();
        return lastBytes;
    }

    private long readNow() {
        try {
            buffer.clear();
            while (buffer.hasRemaining() && status.read(buffer, buffer.position()) > 0) {
                // keep reading: the kernel may hand the text over in pieces
            }
        } catch (IOException e) {
            return -1;
        }
        String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.ISO_8859_1);
        int at = text.indexOf("VmRSS:");
        if (at < 0) {
            return -1;
        }
        int end = text.indexOf('\n', at);
        String value = text.substring(at + 6, end < 0 ? text.length() : end).trim(); // "12345 kB"
        int space = value.indexOf(' ');
        try {
            return Long.parseLong(space < 0 ? value : value.substring(0, space)) * 1024;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

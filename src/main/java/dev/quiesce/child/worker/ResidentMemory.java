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

    private final FileChannel status;
    private final ByteBuffer buffer = ByteBuffer.allocate(8192);

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

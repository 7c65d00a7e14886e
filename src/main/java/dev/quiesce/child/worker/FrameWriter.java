package dev.quiesce.child.worker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The child's side of the protocol stream (the real stdout). Frames come from the main thread (hello)
 * and the task thread (result, stats); a lock keeps them whole, and frames sent together go out in one
 * write so that a result and its stats cost the service one wake-up.
 */
final class FrameWriter {

    private final OutputStream out;
    private final ByteArrayOutputStream batch = new ByteArrayOutputStream(256);

    FrameWriter(OutputStream out) {
        this.out = out;
    }

    /**
     * The hello, encoded here rather than by {@link FrameCodec}: the codec's pattern switch costs a fresh
     * JVM its bootstrap (some milliseconds) on the way to the hello. A test checks that the bytes match.
     */
    synchronized void sendHello(long pid) throws IOException {
        byte[] frame = new byte[4 + 1 + 8];
        frame[3] = 9; // length of what follows
        frame[4] = 1; // HELLO
        for (int i = 0; i < 8; i++) {
            frame[5 + i] = (byte) (pid >>> (56 - 8 * i));
        }
        out.write(frame);
        out.flush();
    }

    synchronized void send(Frame... frames) throws IOException {
        batch.reset();
        for (Frame frame : frames) {
            FrameCodec.write(batch, frame); // its flush() on a byte array is a no-op
        }
        batch.writeTo(out);
        out.flush();
    }
}

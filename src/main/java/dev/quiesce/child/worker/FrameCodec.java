package dev.quiesce.child.worker;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Length-prefixed frames: a 4-byte big-endian length of what follows, a 1-byte type, then the fields
 * (longs and ints big-endian, strings as a 4-byte length and UTF-8 bytes). Frames larger than the limit,
 * unknown types and fields that overrun their frame are {@link ProtocolException}s: the reader never
 * allocates more than the limit, whatever the bytes say.
 */
public final class FrameCodec {

    /** The largest frame either side accepts unless told otherwise. */
    public static final int DEFAULT_MAX_FRAME = 16 << 20;

    private static final byte HELLO = 1, TASK = 2, RESULT = 3, CANCEL = 4, SHUTDOWN = 5, STATS = 6;

    private FrameCodec() {
    }

    /** Writes one frame and flushes it. Callers that share a stream synchronize around this. */
    public static void write(OutputStream out, Frame frame) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(64);
        DataOutputStream data = new DataOutputStream(body);
        switch (frame) {
            case Frame.Hello h -> {
                data.writeByte(HELLO);
                data.writeLong(h.pid());
            }
            case Frame.Task t -> {
                data.writeByte(TASK);
                data.writeLong(t.jobId());
                data.writeInt(t.attempt());
                writeString(data, t.type());
                writeString(data, t.payload());
            }
            case Frame.Result r -> {
                data.writeByte(RESULT);
                data.writeLong(r.jobId());
                data.writeBoolean(r.ok());
                writeString(data, r.text());
            }
            case Frame.Cancel c -> {
                data.writeByte(CANCEL);
                data.writeLong(c.jobId());
            }
            case Frame.Shutdown s -> data.writeByte(SHUTDOWN);
            case Frame.Stats s -> {
                data.writeByte(STATS);
                data.writeLong(s.rssBytes());
                data.writeLong(s.tasksServed());
                data.writeInt(s.leftoversKilled());
                data.writeInt(s.zombiesReaped());
            }
        }
        byte[] bytes = body.toByteArray();
        byte[] framed = new byte[4 + bytes.length];
        ByteBuffer.wrap(framed).putInt(bytes.length).put(bytes);
        out.write(framed);
        out.flush();
    }

    /**
     * Reads one frame.
     *
     * @throws EOFException      at a clean end of stream (between frames): the other side is gone
     * @throws ProtocolException on anything malformed, including a stream that ends inside a frame
     */
    public static Frame read(InputStream in, int maxFrame) throws IOException {
        DataInputStream data = in instanceof DataInputStream d ? d : new DataInputStream(in);
        int first = data.read();
        if (first < 0) {
            throw new EOFException("end of stream");
        }
        byte[] rest = new byte[3];
        readFully(data, rest);
        int length = (first << 24) | ((rest[0] & 0xff) << 16) | ((rest[1] & 0xff) << 8) | (rest[2] & 0xff);
        if (length < 1 || length > maxFrame) {
            throw new ProtocolException("frame length " + length + " outside 1.." + maxFrame);
        }
        byte[] body = new byte[length];
        readFully(data, body);
        ByteBuffer buffer = ByteBuffer.wrap(body);
        try {
            byte type = buffer.get();
            Frame frame = switch (type) {
                case HELLO -> new Frame.Hello(buffer.getLong());
                case TASK -> new Frame.Task(buffer.getLong(), buffer.getInt(), readString(buffer), readString(buffer));
                case RESULT -> new Frame.Result(buffer.getLong(), buffer.get() != 0, readString(buffer));
                case CANCEL -> new Frame.Cancel(buffer.getLong());
                case SHUTDOWN -> new Frame.Shutdown();
                case STATS -> new Frame.Stats(buffer.getLong(), buffer.getLong(), buffer.getInt(), buffer.getInt());
                default -> throw new ProtocolException("unknown frame type " + type);
            };
            if (buffer.hasRemaining()) {
                throw new ProtocolException(buffer.remaining() + " unexpected trailing byte(s) in a frame of type " + type);
            }
            return frame;
        } catch (java.nio.BufferUnderflowException e) {
            throw new ProtocolException("frame of " + length + " bytes ends inside a field");
        }
    }

    private static void readFully(DataInputStream data, byte[] bytes) throws IOException {
        try {
            data.readFully(bytes);
        } catch (EOFException e) {
            throw new ProtocolException("stream ended inside a frame");
        }
    }

    private static void writeString(DataOutputStream data, String value) throws IOException {
        byte[] bytes = (value == null ? "" : value).getBytes(StandardCharsets.UTF_8);
        data.writeInt(bytes.length);
        data.write(bytes);
    }

    private static String readString(ByteBuffer buffer) throws ProtocolException {
        int length = buffer.getInt();
        if (length < 0 || length > buffer.remaining()) {
            throw new ProtocolException("string length " + length + " overruns its frame");
        }
        String value = new String(buffer.array(), buffer.position(), length, StandardCharsets.UTF_8);
        buffer.position(buffer.position() + length);
        return value;
    }
}

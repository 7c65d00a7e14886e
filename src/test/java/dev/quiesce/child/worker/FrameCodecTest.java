package dev.quiesce.child.worker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FrameCodecTest {

    static List<Frame> everyFrameType() {
        return List.of(
                new Frame.Hello(4242),
                new Frame.Task(17, 3, "sha256", "{\"mib\": 1, \"note\": \"żółć ✓\"}"),
                new Frame.Task(Long.MAX_VALUE, Integer.MIN_VALUE, "", ""),
                new Frame.Result(17, true, "5d18…"),
                new Frame.Result(-1, false, "IllegalArgumentException: payload.ms is required"),
                new Frame.Cancel(17),
                new Frame.Shutdown(),
                new Frame.Stats(48L << 20, 1_000_000),
                new Frame.Stats(1, 2, 3, Integer.MAX_VALUE));
    }

    @ParameterizedTest
    @MethodSource("everyFrameType")
    void everyFrameTypeSurvivesARoundTrip(Frame frame) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameCodec.write(out, frame);
        FrameCodec.write(out, frame);
        InputStream in = new ByteArrayInputStream(out.toByteArray());

        assertThat(FrameCodec.read(in, FrameCodec.DEFAULT_MAX_FRAME)).isEqualTo(frame);
        assertThat(FrameCodec.read(in, FrameCodec.DEFAULT_MAX_FRAME)).isEqualTo(frame);
        assertThatThrownBy(() -> FrameCodec.read(in, FrameCodec.DEFAULT_MAX_FRAME)).isExactlyInstanceOf(EOFException.class);
    }

    @Test
    void theHandEncodedHelloIsByteForByteTheCodecsHello() throws IOException {
        for (long pid : new long[] {1, 4242, Integer.MAX_VALUE, Long.MAX_VALUE, -1}) {
            ByteArrayOutputStream byCodec = new ByteArrayOutputStream();
            FrameCodec.write(byCodec, new Frame.Hello(pid));
            ByteArrayOutputStream byWriter = new ByteArrayOutputStream();
            new FrameWriter(byWriter).sendHello(pid);

            assertThat(byWriter.toByteArray()).isEqualTo(byCodec.toByteArray());
        }
    }

    @Test
    void framesSentTogetherAreWrittenWhole() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new FrameWriter(out).send(new Frame.Result(1, true, "ok"), new Frame.Stats(1, 1));
        InputStream in = new ByteArrayInputStream(out.toByteArray());

        assertThat(FrameCodec.read(in, 1024)).isEqualTo(new Frame.Result(1, true, "ok"));
        assertThat(FrameCodec.read(in, 1024)).isEqualTo(new Frame.Stats(1, 1));
    }

    @Test
    void aFrameLargerThanTheLimitIsRejectedBeforeAnythingIsAllocated() {
        // Claims 2 GiB: were that allocated, this test JVM would run out of memory instead.
        byte[] header = ByteBuffer.allocate(5).putInt(Integer.MAX_VALUE).put((byte) 1).array();

        assertThatThrownBy(() -> FrameCodec.read(new ByteArrayInputStream(header), 1 << 20))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("frame length 2147483647 outside 1..1048576");
    }

    @Test
    void aFrameJustOverTheLimitIsRejected() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameCodec.write(out, new Frame.Result(1, true, "x".repeat(100)));

        assertThatThrownBy(() -> FrameCodec.read(new ByteArrayInputStream(out.toByteArray()), 100))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("outside 1..100");
    }

    @Test
    void aNegativeOrZeroLengthIsRejected() {
        assertThatThrownBy(() -> FrameCodec.read(new ByteArrayInputStream(new byte[] {(byte) 0xff, 0, 0, 0, 1}), 1024))
                .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> FrameCodec.read(new ByteArrayInputStream(new byte[] {0, 0, 0, 0}), 1024))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void aStringThatClaimsMoreThanItsFrameIsRejectedWithoutAllocatingIt() {
        // A result frame whose text claims 2^31-1 bytes inside a 17-byte frame.
        byte[] frame = ByteBuffer.allocate(4 + 14).putInt(14).put((byte) 3).putLong(1).put((byte) 1)
                .putInt(Integer.MAX_VALUE).array();

        assertThatThrownBy(() -> FrameCodec.read(new ByteArrayInputStream(frame), 1024))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("overruns its frame");
    }

    @Test
    void anUnknownFrameTypeIsRejected() {
        byte[] frame = {0, 0, 0, 1, 99};

        assertThatThrownBy(() -> FrameCodec.read(new ByteArrayInputStream(frame), 1024))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("unknown frame type 99");
    }

    @Test
    void aStreamEndingInsideAFrameIsAProtocolErrorNotACleanEnd() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameCodec.write(out, new Frame.Task(1, 1, "sleep", "{\"ms\": 10}"));
        byte[] whole = out.toByteArray();

        for (int cut : new int[] {1, 3, 4, 5, whole.length - 1}) {
            byte[] truncated = Arrays.copyOf(whole, cut);
            assertThatThrownBy(() -> FrameCodec.read(new ByteArrayInputStream(truncated), 1024))
                    .as("cut after %d of %d bytes", cut, whole.length)
                    .isInstanceOf(ProtocolException.class);
        }
    }

    @Test
    void aFieldThatEndsPastItsFrameIsRejected() {
        // A cancel frame needs 8 bytes of job id; this one has 3.
        byte[] frame = {0, 0, 0, 4, 4, 0, 0, 1};

        assertThatThrownBy(() -> FrameCodec.read(new ByteArrayInputStream(frame), 1024))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("ends inside a field");
    }

    @Test
    void trailingBytesInsideAFrameAreRejected() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameCodec.write(out, new Frame.Cancel(7));
        byte[] frame = out.toByteArray();
        ByteBuffer longer = ByteBuffer.allocate(frame.length + 2).putInt(frame.length - 4 + 2).put(frame, 4, frame.length - 4)
                .put((byte) 0).put((byte) 0);

        assertThatThrownBy(() -> FrameCodec.read(new ByteArrayInputStream(longer.array()), 1024))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("2 unexpected trailing byte(s)");
    }
}

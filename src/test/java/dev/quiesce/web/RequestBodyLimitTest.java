package dev.quiesce.web;

import dev.quiesce.queue.QueueProperties;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpStatus;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.util.unit.DataSize;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The body limit without a web stack: a chunked body (no Content-Length) is cut off, not buffered. */
class RequestBodyLimitTest {

    private static final int MAX_PAYLOAD = 1024;

    private final RequestBodyLimit limit = new RequestBodyLimit(new QueueProperties(Duration.ofSeconds(30),
            Duration.ofSeconds(2), DataSize.ofBytes(MAX_PAYLOAD), 3, Duration.ofSeconds(1), Duration.ofMinutes(10), Duration.ofDays(366)));

    @Test
    void aBodyWithoutContentLengthFailsOneBytePastTheLimitAndIsNotReadFurther() throws Exception {
        CountingStream source = new CountingStream(new byte[2 * 1024 * 1024]);
        HttpInputMessage limited = limit.beforeBodyRead(message(source, -1), null, JobRequest.class, null);

        InputStream body = limited.getBody();
        assertThatThrownBy(() -> body.transferTo(OutputStreamSink.INSTANCE))
                .isInstanceOfSatisfying(ProblemException.class,
                        e -> assertThat(e.getStatusCode()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE));
        assertThat(source.read).isLessThanOrEqualTo(limit.singleLimit() + 16 * 1024);
    }

    @Test
    void aChunkedBodyCutOffWhileJacksonParsesItIsStillA413() {
        String json = "{\"type\": \"echo\", \"payload\": {\"data\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}}";
        HttpInputMessage limited = limit.beforeBodyRead(
                message(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), -1), null, JobRequest.class, null);

        // Spring hands the advice either the converter's wrapper or, if nothing wrapped it, the problem itself.
        Throwable thrown = catchThrowable(() -> new JacksonJsonHttpMessageConverter().read(JobRequest.class, limited));
        ProblemException problem = thrown instanceof HttpMessageNotReadableException unreadable
                ? UnreadableBody.problem(unreadable) : (ProblemException) thrown;

        assertThat(problem.getStatusCode()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
        assertThat(problem.getBody().getDetail()).startsWith("request body too large");
    }

    @Test
    void aDeclaredContentLengthOverTheLimitFailsBeforeAnyRead() {
        CountingStream source = new CountingStream(new byte[10]);

        assertThatThrownBy(() -> limit.beforeBodyRead(message(source, limit.singleLimit() + 1), null, JobRequest.class, null))
                .isInstanceOf(ProblemException.class).hasMessageContaining("request body too large");
        assertThat(source.read).isZero();
    }

    @Test
    void aBodyAtTheLimitIsReadWhole() throws Exception {
        int size = (int) limit.singleLimit();
        HttpInputMessage limited = limit.beforeBodyRead(message(new CountingStream(new byte[size]), -1), null,
                JobRequest.class, null);

        assertThat(limited.getBody().readAllBytes()).hasSize(size);
    }

    @Test
    void aBatchMayCarryAThousandPayloadsButNeverMoreThan64MiB() {
        assertThat(limit.singleLimit()).isEqualTo(MAX_PAYLOAD + RequestBodyLimit.ENVELOPE_ALLOWANCE);
        assertThat(limit.batchLimit()).isEqualTo(1000L * MAX_PAYLOAD);

        RequestBodyLimit defaults = new RequestBodyLimit(new QueueProperties(Duration.ofSeconds(30),
                Duration.ofSeconds(2), DataSize.ofKilobytes(256), 3, Duration.ofSeconds(1), Duration.ofMinutes(10), Duration.ofDays(366)));
        assertThat(defaults.batchLimit()).isEqualTo(64L * 1024 * 1024);
    }

    private static HttpInputMessage message(InputStream body, long contentLength) {
        HttpHeaders headers = new HttpHeaders();
        if (contentLength >= 0) {
            headers.setContentLength(contentLength);
        }
        return new HttpInputMessage() {
            @Override
            public InputStream getBody() {
                return body;
            }

            @Override
            public HttpHeaders getHeaders() {
                return headers;
            }
        };
    }

    private static final class CountingStream extends ByteArrayInputStream {
        long read;

        CountingStream(byte[] bytes) {
            super(bytes);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            int n = super.read(b, off, len);
            read += Math.max(n, 0);
            return n;
        }
    }

    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }
    }
}

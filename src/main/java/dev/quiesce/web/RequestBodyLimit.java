package dev.quiesce.web;

import dev.quiesce.queue.QueueProperties;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

import java.io.FilterInputStream;
import java.io.InputStream;
import java.io.IOException;
import java.lang.reflect.Type;

/**
 * Bounds the size of a job request body <em>before</em> it is parsed, so that an oversized request is a 413
 * and never a tree in memory: a declared {@code Content-Length} above the limit is refused at once, and an
 * undeclared (chunked) body is read through a stream that fails one byte past the limit.
 * <ul>
 * <li>{@code POST /jobs}: {@code quiesce.queue.max-payload} + {@value #ENVELOPE_ALLOWANCE} bytes for the
 *     other fields and whitespace;</li>
 * <li>{@code POST /jobs/batch}: {@code min(1000 × max-payload, 64 MiB)}, and never less than the single-job
 *     limit.</li>
 * </ul>
 * Each job's payload is then checked on its own against {@code max-payload} by {@link JobRequestValidator}.
 */
@ControllerAdvice(assignableTypes = JobController.class)
final class RequestBodyLimit extends RequestBodyAdviceAdapter {

    static final long ENVELOPE_ALLOWANCE = 16 * 1024;
    static final long BATCH_CEILING = 64L * 1024 * 1024;

    private final long maxPayload;

    RequestBodyLimit(QueueProperties queue) {
        this.maxPayload = queue.maxPayload().toBytes();
    }

    long singleLimit() {
        return maxPayload + ENVELOPE_ALLOWANCE;
    }

    long batchLimit() {
        long batch = maxPayload > BATCH_CEILING / JobRequestValidator.MAX_BATCH
                ? BATCH_CEILING : maxPayload * JobRequestValidator.MAX_BATCH;
        return Math.max(batch, singleLimit());
    }

    @Override
    public boolean supports(MethodParameter parameter, Type targetType,
                            Class<? extends HttpMessageConverter<?>> converterType) {
        return targetType == JobRequest.class || targetType == BatchRequest.class;
    }

    @Override
    public HttpInputMessage beforeBodyRead(HttpInputMessage message, MethodParameter parameter, Type targetType,
                                           Class<? extends HttpMessageConverter<?>> converterType) {
        boolean batch = targetType == BatchRequest.class;
        long limit = batch ? batchLimit() : singleLimit();
        long declared = message.getHeaders().getContentLength();
        if (declared > limit) {
            throw tooLarge(limit, batch);
        }
        return new HttpInputMessage() {
            @Override
            public InputStream getBody() throws IOException {
                return new LimitedInputStream(message.getBody(), limit, batch);
            }

            @Override
            public HttpHeaders getHeaders() {
                return message.getHeaders();
            }
        };
    }

    private ProblemException tooLarge(long limit, boolean batch) {
        String what = batch
                ? "a batch body may be at most " + limit + " bytes (min(1000 × max-payload, 64 MiB)); split the batch"
                : "a job request body may be at most " + limit + " bytes (a payload of at most " + maxPayload
                  + " bytes, quiesce.queue.max-payload, plus " + ENVELOPE_ALLOWANCE + " bytes for the other fields)";
        return ProblemException.payloadTooLarge("request body too large: " + what);
    }

    /** Fails one byte past the limit, so at most limit + one buffer is ever read. */
    private final class LimitedInputStream extends FilterInputStream {

        private final long limit;
        private final boolean batch;
        private long count;

        LimitedInputStream(InputStream in, long limit, boolean batch) {
            super(in);
            this.limit = limit;
            this.batch = batch;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            counted(skipped);
            return skipped;
        }

        private void counted(long n) {
            count += n;
            if (count > limit) {
                throw tooLarge(limit, batch);
            }
        }
    }
}

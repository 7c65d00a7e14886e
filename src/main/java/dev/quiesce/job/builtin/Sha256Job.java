package dev.quiesce.job.builtin;

import dev.quiesce.api.JobContext;
import dev.quiesce.api.JobHandler;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * {@code sha256} {@code {"mib": N, "seed": S}}: hashes N MiB of deterministic pseudo-random bytes
 * (SplittableRandom seeded with S) and returns the hex digest. CPU-bound; checks cancellation per MiB.
 */
@Component
class Sha256Job implements JobHandler<JsonNode> {

    private final JournalDirectory journal;

    Sha256Job(JournalDirectory journal) {
        this.journal = journal;
    }

    static final int MAX_MIB = 4096;
    private static final int MIB = 1 << 20;

    @Override
    public String type() {
        return "sha256";
    }

    @Override
    public String description() {
        return "Hashes {\"mib\": N} MiB of deterministic bytes from {\"seed\": S}; the result is the hex digest; optional \"journal\".";
    }

    @Override
    public void validate(JsonNode payload) {
        Payloads.requireObject(payload, type());
        Payloads.requiredLong(payload, "mib", 0, MAX_MIB);
        Payloads.optionalLong(payload, "seed", Long.MIN_VALUE, Long.MAX_VALUE, 0);
        journal.file(payload);
    }

    @Override
    public String run(JsonNode payload, JobContext context) throws Exception {
        long mib = Payloads.requiredLong(payload, "mib", 0, MAX_MIB);
        String digest = digest(mib, Payloads.optionalLong(payload, "seed", Long.MIN_VALUE, Long.MAX_VALUE, 0), context);
        journal.append(payload, context.jobId());
        return digest;
    }

    /** Shared with tests and the child-side task so that both runners give the same digest. */
    static String digest(long mib, long seed, JobContext context) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        SplittableRandom random = new SplittableRandom(seed);
        byte[] block = new byte[MIB];
        for (long i = 0; i < mib; i++) {
            if (Thread.interrupted()) {
                throw new InterruptedException("sha256 job " + context.jobId() + " interrupted after " + i + " MiB");
            }
            context.throwIfCancelled();
            random.nextBytes(block);
            sha.update(block);
            context.progress((i + 1) / (double) mib);
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}

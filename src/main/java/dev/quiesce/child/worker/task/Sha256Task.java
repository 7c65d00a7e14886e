package dev.quiesce.child.worker.task;

import dev.quiesce.api.child.ChildTask;
import dev.quiesce.api.child.TaskContext;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * {@code sha256} {@code {"mib": N, "seed": S?, "journal": "/abs/path"?}}: the SHA-256 of N MiB of
 * {@code SplittableRandom(S)} bytes, drawn 1 MiB at a time, as lower-case hex — byte for byte the
 * in-process handler's result, so the type can be routed to either runner. Checks for a cancel per MiB.
 */
public final class Sha256Task implements ChildTask {

    static final long MAX_MIB = 4096;
    private static final int MIB = 1 << 20;

    @Override
    public String type() {
        return "sha256";
    }

    @Override
    public String run(TaskContext context) throws Exception {
        long mib = context.requiredLong("mib", 0, MAX_MIB);
        long seed = context.optionalLong("seed", Long.MIN_VALUE, Long.MAX_VALUE, 0);
        Optional<Path> journal = Journal.of(context);
        String digest = digest(mib, seed, context);
        Journal.append(journal, context.jobId());
        return digest;
    }

    static String digest(long mib, long seed, TaskContext context) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        SplittableRandom random = new SplittableRandom(seed);
        byte[] block = new byte[MIB];
        for (long i = 0; i < mib; i++) {
            if (Thread.interrupted() || context.isCancelled()) {
                throw new InterruptedException("sha256 job " + context.jobId() + " interrupted after " + i + " MiB");
            }
            random.nextBytes(block);
            sha.update(block);
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}

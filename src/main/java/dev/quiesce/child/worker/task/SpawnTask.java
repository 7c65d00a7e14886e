package dev.quiesce.child.worker.task;

import dev.quiesce.api.child.ChildTask;
import dev.quiesce.api.child.TaskContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Fault task {@code spawn} {@code {"daemonize": false, "seconds": 600, "holdMs": 0}}: starts a grandchild
 * {@code sleep <seconds>} and returns its pid — leaving it behind on purpose, for the child (after the
 * task) or the service (at shutdown) to find and kill. With {@code daemonize} the grandchild is started
 * as a daemon would be: {@code setsid -f} forks it into a new session and the intermediate process exits,
 * so it is re-parented (to this JVM, the subreaper, on Linux). {@code holdMs} keeps the task running that
 * long after the spawn, to test what happens to the grandchild while the task is still busy.
 */
public final class SpawnTask implements FaultTask {

    private static final long MAX_SECONDS = 24L * 3600;

    @Override
    public String type() {
        return "spawn";
    }

    @Override
    public String run(TaskContext context) throws Exception {
        boolean daemonize = context.optionalBoolean("daemonize", false);
        long seconds = context.optionalLong("seconds", 1, MAX_SECONDS, 600);
        long holdMs = context.optionalLong("holdMs", 0, SleepTask.MAX_MS, 0);
        long pid = daemonize ? startDaemon(seconds) : startChild(seconds);
        System.out.println("spawn task of job " + context.jobId() + ": started " + (daemonize ? "daemonized " : "")
                + "sleep " + seconds + " as pid " + pid);
        if (holdMs > 0) {
            Thread.sleep(holdMs);
        }
        return Long.toString(pid);
    }

    static long startChild(long seconds) throws IOException {
        Process sleep = new ProcessBuilder("sleep", Long.toString(seconds))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        sleep.getOutputStream().close();
        return sleep.pid();
    }

    /**
     * The forked grandchild writes its own pid to a file, then becomes {@code sleep} (same pid). A file,
     * not a pipe: once {@code setsid} exits, the JDK drains and closes its stdout pipe, which can happen
     * before the grandchild has written anything.
     */
    private static long startDaemon(long seconds) throws IOException, InterruptedException {
        Path pidFile = Files.createTempFile("quiesce-spawn-", ".pid");
        try {
            Process setsid = new ProcessBuilder("setsid", "-f", "/bin/sh", "-c", "echo $$ > \"$2\"; exec sleep \"$1\"", "sh",
                    Long.toString(seconds), pidFile.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            setsid.getOutputStream().close();
            if (!setsid.waitFor(5, TimeUnit.SECONDS)) {
                setsid.destroyForcibly();
                throw new IOException("setsid -f did not return within 5 s");
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (true) {
                String text = Files.readString(pidFile, StandardCharsets.US_ASCII);
                if (text.endsWith("\n")) {
                    return Long.parseLong(text.strip());
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IOException("the daemonized sleep did not report its pid within 5 s (setsid exit code "
                            + setsid.exitValue() + ")");
                }
                Thread.sleep(2);
            }
        } finally {
            Files.deleteIfExists(pidFile);
        }
    }
}

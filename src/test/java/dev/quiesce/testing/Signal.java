package dev.quiesce.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The signals the tests and the benchmark send to a service or a pod, as the platform would. {@code TERM} and
 * {@code KILL} go through the JDK ({@link ProcessHandle#destroy()} and {@link ProcessHandle#destroyForcibly()}
 * are {@code kill(2)} with SIGTERM and SIGKILL on Linux): they leave at once, so a timed measurement from the
 * signal does not include starting {@code /bin/kill}. The JDK has no call for {@code INT}: it goes through
 * {@code kill -s INT}, and so do {@code STOP} and {@code CONT} (pause and resume a process, as a stalled VM or a
 * debugger would).
 */
public enum Signal {

    TERM, INT, KILL, STOP, CONT;

    /** Sends this signal to {@code process}; fails if it could not be sent (no such process, not ours to signal). */
    public void sendTo(ProcessHandle process) {
        switch (this) {
            case TERM -> require(process.destroy(), process);
            case KILL -> require(process.destroyForcibly(), process);
            case INT, STOP, CONT -> kill(process.pid());
        }
    }

    private void require(boolean sent, ProcessHandle process) {
        if (!sent) {
            throw new AssertionError("could not send SIG" + this + " to " + process.pid() + " (alive: " + process.isAlive() + ")");
        }
    }

    private void kill(long pid) {
        try {
            Process kill = new ProcessBuilder("kill", "-s", name(), Long.toString(pid)).redirectErrorStream(true).start();
            String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill -s " + name() + " " + pid + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while signalling", e);
        }
    }
}

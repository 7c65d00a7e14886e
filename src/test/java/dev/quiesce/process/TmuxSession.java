package dev.quiesce.process;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A detached tmux session on a private server socket, running one shell command in a real pseudo-terminal:
 * what a user's terminal is to a program started from it. Keys sent with {@link #sendKeys} go through the
 * terminal driver, so {@code C-c} becomes SIGINT to the terminal's foreground process group — exactly what
 * Ctrl+C does. {@link #kill} ends the private server and everything in it; no other tmux server is touched.
 */
final class TmuxSession {

    private static final String NAME = "main";

    private final Path tmux;
    private final String socket;

    private TmuxSession(Path tmux, String socket) {
        this.tmux = tmux;
        this.socket = socket;
    }

    /** The tmux binary on the PATH, if any. */
    static Optional<Path> binary() {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "/usr/bin:/bin" : path).split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "tmux");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Starts a session of 200x50 in {@code directory} running {@code shellCommand} (through {@code sh -c}). */
    static TmuxSession start(Path tmux, Path directory, String shellCommand) {
        TmuxSession session = new TmuxSession(tmux, "quiesce-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        session.run("-f", "/dev/null", "new-session", "-d", "-s", NAME, "-x", "200", "-y", "50",
                "-c", directory.toString(), shellCommand);
        return session;
    }

    /** The pid of the pane's process (the command itself when it was started with {@code exec}). */
    long panePid() {
        return Long.parseLong(run("display-message", "-p", "-t", NAME, "#{pane_pid}").strip());
    }

    /** Sends keys in tmux notation, e.g. {@code C-c}. */
    void sendKeys(String keys) {
        run("send-keys", "-t", NAME, keys);
    }

    /** Ends this session's tmux server; quiet if it has already gone (its last pane exited). */
    void kill() {
        try {
            run("kill-server");
        } catch (AssertionError e) {
            // "no server running": the pane's command exited and took the server with it, which is fine.
        }
    }

    private String run(String... arguments) {
        List<String> command = new ArrayList<>(List.of(tmux.toString(), "-L", socket));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not return within 30 s");
            }
            if (process.exitValue() != 0) {
                throw new AssertionError(command + " failed with " + process.exitValue() + ": " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted during " + command, e);
        }
    }
}

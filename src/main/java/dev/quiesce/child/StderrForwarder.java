package dev.quiesce.child;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Forwards a child's stderr (where its {@code System.out} goes too) to the service log, each line prefixed
 * with the child's id and pid, at most {@value #LINES_PER_SECOND} lines a second; the rest is dropped and
 * counted in one line, so a chatty task cannot flood the log. Keeps the last lines to explain a crash.
 */
final class StderrForwarder {

    private static final Logger log = LoggerFactory.getLogger("dev.quiesce.child.stderr");
    static final int LINES_PER_SECOND = 50;
    private static final int TAIL = 20;

    private final String prefix;
    private final ArrayDeque<String> tail = new ArrayDeque<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private long windowStart;
    private int linesInWindow;
    private int dropped;

    private StderrForwarder(String prefix) {
        this.prefix = prefix;
    }

    static StderrForwarder start(String name, long pid, InputStream stderr) {
        StderrForwarder forwarder = new StderrForwarder("[" + name + " pid " + pid + "] ");
        Thread.ofPlatform().name(name + "-stderr").daemon(true).start(() -> forwarder.forward(stderr));
        return forwarder;
    }

    private void forward(InputStream stderr) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stderr, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                accept(line, System.nanoTime());
            }
        } catch (IOException e) {
            // The pipe broke because the child is gone: nothing more to forward.
            log.debug("{}stderr closed: {}", prefix, e.toString());
        } finally {
            reportDropped();
            ended.countDown();
        }
    }

    private void accept(String line, long now) {
        synchronized (tail) {
            if (tail.size() == TAIL) {
                tail.removeFirst();
            }
            tail.addLast(line);
        }
        if (now - windowStart >= 1_000_000_000L) {
            reportDropped();
            windowStart = now;
            linesInWindow = 0;
        }
        if (++linesInWindow <= LINES_PER_SECOND) {
            log.info("{}{}", prefix, line);
        } else {
            dropped++;
        }
    }

    private void reportDropped() {
        if (dropped > 0) {
            log.warn("{}{} line(s) dropped (more than {} a second)", prefix, dropped, LINES_PER_SECOND);
            dropped = 0;
        }
    }

    /** The last lines, after waiting up to {@code millis} for the stream to end (the child has exited). */
    List<String> tail(long millis) {
        try {
            ended.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (tail) {
            return List.copyOf(tail);
        }
    }
}

package dev.quiesce.child;

import dev.quiesce.leak.LeakKind;
import dev.quiesce.leak.Leaks;
import dev.quiesce.shutdown.Deadline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The child JVMs alive now, one {@code pid startTimeMillis} line each, in {@code children.ledger} in the data
 * directory, rewritten atomically (temp file + move) on every start and exit. If the service is SIGKILLed the
 * file survives it: at the next start every entry still alive <em>with the same start time</em> (a pid alone
 * may have been reused) is a leftover of the previous run and is killed with its tree, every process of which
 * counts as a {@code previous_run_process} leak.
 */
final class ChildLedger {

    private static final Logger log = LoggerFactory.getLogger(ChildLedger.class);
    static final String FILE_NAME = "children.ledger";

    private final Path file;
    private final Leaks leaks;
    private final Map<Long, Long> live = new LinkedHashMap<>();
    private int previousRunKilled;

    ChildLedger(Path dataDirectory, Leaks leaks) {
        this.file = dataDirectory.resolve(FILE_NAME);
        this.leaks = leaks;
    }

    /** Kills what a previous run left alive, then starts an empty ledger. Returns how many it killed. */
    synchronized int killPreviousRun(Duration timeout) {
        List<ProcessHandle> leftovers = new ArrayList<>();
        for (String line : readLines()) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length != 2) {
                continue;
            }
            try {
                long pid = Long.parseLong(fields[0]);
                long started = Long.parseLong(fields[1]);
                ProcessHandle.of(pid).filter(h -> startMillis(h).filter(s -> s == started).isPresent()).ifPresent(leftovers::add);
            } catch (NumberFormatException e) {
                log.debug("Ignoring a malformed ledger line: {}", line);
            }
        }
        if (!leftovers.isEmpty()) {
            log.warn("Killing {} child JVM(s) left alive by a previous run: pids {}", leftovers.size(),
                    leftovers.stream().map(ProcessHandle::pid).toList());
            Deadline deadline = Deadline.after(timeout);
            for (ProcessHandle leftover : leftovers) {
                ProcessTree tree = ProcessTree.snapshot(leftover);
                tree.kill();
                if (tree.awaitGone(deadline)) {
                    leaks.inherited(LeakKind.PREVIOUS_RUN_PROCESS, 1 + tree.descendantPids().size(),
                            "process(es): child JVM " + leftover.pid() + " of a previous run and its descendants "
                                    + tree.descendantPids() + ", killed");
                } else {
                    log.warn("Leftover child JVM {} or one of its descendants survived SIGKILL", leftover.pid());
                    leaks.detected(LeakKind.PREVIOUS_RUN_PROCESS, leftover.pid(), "child JVM " + leftover.pid()
                            + " of a previous run (or a descendant) survived SIGKILL", leftover::isAlive);
                }
            }
        }
        previousRunKilled += leftovers.size();
        live.clear();
        write();
        return leftovers.size();
    }

    synchronized void started(ProcessHandle process) {
        startMillis(process).ifPresent(start -> {
            live.put(process.pid(), start);
            write();
        });
    }

    synchronized void exited(long pid) {
        if (live.remove(pid) != null) {
            write();
        }
    }

    int previousRunKilled() {
        return previousRunKilled;
    }

    static Optional<Long> startMillis(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli);
    }

    private List<String> readLines() {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            log.warn("Cannot read the child ledger {}: {}; leftovers of a previous run cannot be found", file, e.toString());
            return List.of();
        }
    }

    private void write() {
        StringBuilder text = new StringBuilder();
        live.forEach((pid, start) -> text.append(pid).append(' ').append(start).append('\n'));
        Path temp = file.resolveSibling(FILE_NAME + ".tmp");
        try {
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            log.warn("Cannot write the child ledger {}: {}; a SIGKILL now could leave children unaccounted", file, e.toString());
        }
    }
}

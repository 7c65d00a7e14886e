package dev.quiesce.child;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A process as Linux's {@code /proc/<pid>/stat} shows it: its state and parent. The JDK's
 * {@link ProcessHandle#isAlive()} counts a zombie as alive; the pool needs to tell them apart, because a
 * zombie is dead but must still be reaped by its parent.
 */
record ProcStat(long pid, char state, long ppid) {

    private static final Path PROC = Path.of("/proc");

    static boolean available() {
        return Files.isDirectory(PROC.resolve("self"));
    }

    boolean isZombie() {
        return state == 'Z' || state == 'X';
    }

    static Optional<ProcStat> read(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8);
            int afterName = stat.lastIndexOf(')');
            String[] fields = stat.substring(afterName + 2).split(" ", 3);
            return Optional.of(new ProcStat(pid, fields[0].charAt(0), Long.parseLong(fields[1])));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // gone between listing and reading, or not Linux: either way not there
        }
    }

    /** Dead for good: no {@code /proc} entry, or a zombie (its exit is only waiting to be reaped). */
    static boolean isGone(long pid) {
        return read(pid).map(ProcStat::isZombie).orElse(true);
    }

    /** Every process whose parent is {@code ppid}, zombies included. */
    static List<ProcStat> childrenOf(long ppid) {
        List<ProcStat> children = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path entry : entries) {
                read(Long.parseLong(entry.getFileName().toString())).filter(s -> s.ppid == ppid).ifPresent(children::add);
            }
        } catch (IOException e) {
            // No /proc (not Linux): no children to find; callers are no-ops there.
        }
        return children;
    }

    /** Whether the process's environment holds {@code name=value}; false when unreadable (other user, zombie). */
    static boolean hasEnvironment(long pid, String name, String value) {
        try {
            byte[] environ = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("environ"));
            String wanted = name + "=" + value;
            for (String entry : new String(environ, StandardCharsets.UTF_8).split("\0")) {
                if (entry.equals(wanted)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }
}

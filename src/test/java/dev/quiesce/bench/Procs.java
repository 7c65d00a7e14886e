package dev.quiesce.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code /proc} says about the processes of one service: its child JVMs (their environment carries
 * {@code QUIESCE_PARENT_PID=<service pid>}, inherited by whatever they start) and everything whose ancestry
 * leads to the service. A process is identified by pid and start time, so a reused pid is not mistaken for it.
 */
final class Procs {

    static final String CHILD_MAIN = "dev.quiesce.child.worker.ChildMain";
    private static final Path PROC = Path.of("/proc");

    private Procs() {
    }

    /** One process as {@code /proc/<pid>/stat} described it when read. */
    record Proc(long pid, long ppid, char state, long startTicks, String cmdline) {

        boolean isZombie() {
            return state == 'Z' || state == 'X';
        }

        boolean isChildJvm() {
            return cmdline.contains(CHILD_MAIN);
        }

        /** The same process (pid and start time) exists and has not exited (a zombie counts as gone). */
        boolean isAlive() {
            return read(pid).filter(now -> now.startTicks == startTicks && !now.isZombie()).isPresent();
        }

        /** SIGKILL, unless the pid now names another process. */
        void kill() {
            if (isAlive()) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }

        @Override
        public String toString() {
            return pid + " [ppid " + ppid + ", " + state + "] " + (cmdline.length() > 100 ? cmdline.substring(0, 100) + "..." : cmdline);
        }
    }

    static Optional<Proc> read(long pid) {
        Path dir = PROC.resolve(Long.toString(pid));
        try {
            String stat = Files.readString(dir.resolve("stat"), StandardCharsets.ISO_8859_1);
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            byte[] raw = Files.readAllBytes(dir.resolve("cmdline"));
            String cmdline = new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim();
            return Optional.of(new Proc(pid, Long.parseLong(fields[1]), fields[0].charAt(0), Long.parseLong(fields[19]), cmdline));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // gone between listing and reading
        }
    }

    static List<Proc> all() {
        List<Proc> all = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
                    read(Long.parseLong(name)).ifPresent(all::add);
                }
            }
        } catch (IOException e) {
            throw new BenchFailure("cannot list /proc: " + e);
        }
        return all;
    }

    /** The live processes of service {@code servicePid} (not the service itself). */
    static List<Proc> ofService(long servicePid) {
        List<Proc> all = all();
        Map<Long, Long> parents = new HashMap<>();
        all.forEach(p -> parents.put(p.pid(), p.ppid()));
        String marker = "QUIESCE_PARENT_PID=" + servicePid;
        long self = ProcessHandle.current().pid();
        List<Proc> ours = new ArrayList<>();
        for (Proc p : all) {
            if (p.pid() == servicePid || p.pid() == self || p.isZombie()) {
                continue;
            }
            if (descendsFrom(p.pid(), servicePid, parents) || environ(p.pid()).contains("\n" + marker + "\n")) {
                ours.add(p);
            }
        }
        return ours;
    }

    static List<Proc> childJvmsOf(long servicePid) {
        return ofService(servicePid).stream().filter(Proc::isChildJvm).toList();
    }

    /** Resident set size in bytes from {@code VmRSS} of {@code /proc/<pid>/status}, or -1. */
    static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(PROC.resolve(Long.toString(pid)).resolve("status"), StandardCharsets.ISO_8859_1)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return -1;
    }

    /**
     * CPU time (user + system, clock ticks of 10 ms) of each thread of {@code pid}, summed by thread name
     * ({@code /proc/<pid>/task/<tid>/stat}: the name is the thread's {@code comm}, at most 15 characters).
     */
    static Map<String, Long> cpuTicksByThread(long pid) {
        Map<String, Long> ticks = new java.util.TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(PROC.resolve(Long.toString(pid)).resolve("task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"), StandardCharsets.ISO_8859_1);
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
                    ticks.merge(comm, Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
        return ticks;
    }

    /** Kills whatever of the service is left (a failed scenario never leaves processes behind). */
    static int killAllOf(long servicePid) {
        List<Proc> left = ofService(servicePid);
        left.forEach(Proc::kill);
        return left.size();
    }

    private static String environ(long pid) {
        try {
            return "\n" + new String(Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("environ")), StandardCharsets.UTF_8)
                    .replace('\0', '\n') + "\n";
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean descendsFrom(long pid, long ancestor, Map<Long, Long> parents) {
        Long up = parents.get(pid);
        for (int depth = 0; up != null && up > 1 && depth < 64; depth++) {
            if (up == ancestor) {
                return true;
            }
            up = parents.get(up);
        }
        return false;
    }
}

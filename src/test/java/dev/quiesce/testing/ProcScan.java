package dev.quiesce.testing;

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
import java.util.TreeMap;

/**
 * What {@code /proc} says about the processes on this machine: which ones belong to one Quiesce service (its
 * child JVMs and everything below them, daemonized or not), whether a process seen earlier is still alive, and
 * what one process costs (resident memory, CPU per thread). Other services may run on the same machine, so
 * "ours" is decided per service pid, never by command line alone: a process is ours if its environment carries
 * {@code QUIESCE_PARENT_PID=<service pid>} (a child JVM, inherited by whatever it starts) or if its ancestry
 * leads to the service. Reading another process's {@code environ} needs root or the same user, which is how
 * these tests run. {@code stat} is read as ISO-8859-1: a command name is any bytes, and a decoding error must
 * not make a live process look gone.
 */
public final class ProcScan {

    public static final String PARENT_VARIABLE = "QUIESCE_PARENT_PID";
    public static final String CHILD_MAIN = "dev.quiesce.child.worker.ChildMain";
    private static final Path PROC = Path.of("/proc");

    private ProcScan() {
    }

    /**
     * One process as {@code /proc/<pid>/stat} described it when read.
     *
     * @param processGroup          its process group
     * @param terminalProcessGroup  the foreground process group of its controlling terminal (-1: none)
     * @param startTicks            its start time in clock ticks since boot: tells a reused pid apart
     */
    public record Proc(long pid, long ppid, long processGroup, long session, long terminalProcessGroup, char state,
                       long startTicks, String cmdline) {

        /** A zombie has exited; only its parent's {@code wait} is missing. */
        public boolean isZombie() {
            return state == 'Z' || state == 'X';
        }

        public boolean isChildJvm() {
            return cmdline.contains(CHILD_MAIN);
        }

        /** Leader of its own session, as {@code setsid} makes a daemon. */
        public boolean isSessionLeader() {
            return session == pid;
        }

        /** In the foreground process group of its terminal: a terminal's Ctrl+C signals it. */
        public boolean isInForeground() {
            return terminalProcessGroup > 0 && terminalProcessGroup == processGroup;
        }

        /** The same process (same pid and start time) still exists and has not exited. */
        public boolean isAlive() {
            return read(pid).filter(now -> now.startTicks == startTicks && !now.isZombie()).isPresent();
        }

        /** SIGKILL, unless the pid now names another process (start time differs) or none. */
        public void kill() {
            if (isAlive()) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }

        @Override
        public String toString() {
            return pid + " [ppid " + ppid + ", pgrp " + processGroup + ", sid " + session + ", " + state + "] "
                    + (cmdline.length() > 160 ? cmdline.substring(0, 160) + "..." : cmdline);
        }
    }

    /** The process {@code pid}, or empty if there is none (any more). */
    public static Optional<Proc> read(long pid) {
        Path dir = PROC.resolve(Long.toString(pid));
        try {
            String stat = Files.readString(dir.resolve("stat"), StandardCharsets.ISO_8859_1);
            // The command name (field 2) may hold spaces and parentheses: the fields we want follow the last ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            byte[] raw = Files.readAllBytes(dir.resolve("cmdline"));
            String cmdline = new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim();
            return Optional.of(new Proc(pid, Long.parseLong(fields[1]), Long.parseLong(fields[2]),
                    Long.parseLong(fields[3]), Long.parseLong(fields[5]), fields[0].charAt(0), Long.parseLong(fields[19]),
                    cmdline));
        } catch (IOException | RuntimeException e) {
            // The process exited between listing and reading (NoSuchFileException, ESRCH as an IOException,
            // an empty stat): for a scan, that is a process that is not there.
            return Optional.empty();
        }
    }

    /** Every process now, zombies included. */
    public static List<Proc> all() {
        List<Proc> all = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
                    read(Long.parseLong(name)).ifPresent(all::add);
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot list /proc: " + e, e);
        }
        return all;
    }

    /**
     * The live (non-zombie) processes that belong to the service {@code servicePid} — not the service itself:
     * its environment names the service as the child JVMs' parent, or its ancestry leads to the service.
     */
    public static List<Proc> ofService(long servicePid) {
        List<Proc> all = all();
        Map<Long, Long> parents = new HashMap<>();
        all.forEach(p -> parents.put(p.pid(), p.ppid()));
        String marker = PARENT_VARIABLE + "=" + servicePid;
        long self = ProcessHandle.current().pid();
        List<Proc> ours = new ArrayList<>();
        for (Proc p : all) {
            if (p.pid() == servicePid || p.pid() == self || p.isZombie()) {
                continue;
            }
            if (descendsFrom(p.pid(), servicePid, parents) || environ(p.pid()).contains(marker)) {
                ours.add(p);
            }
        }
        return ours;
    }

    /**
     * {@link #ofService(long)} for a service seen earlier, safe against pid reuse: once the service has exited
     * its pid may name a newer process (even another service), whose descendants and children started after
     * it. Ours started before our service died, hence before any newer holder of its pid.
     */
    public static List<Proc> ofService(Proc service) {
        long newerHolderStart = read(service.pid()).filter(now -> now.startTicks() != service.startTicks())
                .map(Proc::startTicks).orElse(Long.MAX_VALUE);
        return ofService(service.pid()).stream().filter(p -> p.startTicks() < newerHolderStart).toList();
    }

    /** The service {@code pid} as it is now, to scan for its processes later with {@link #ofService(Proc)}. */
    public static Proc service(long pid) {
        return read(pid).orElseThrow(() -> new AssertionError("no process " + pid));
    }

    /** The child JVMs among {@link #ofService}. */
    public static List<Proc> childJvmsOf(long servicePid) {
        return ofService(servicePid).stream().filter(Proc::isChildJvm).toList();
    }

    /** Kills whatever of the service {@code servicePid} is left; returns how many processes that was. */
    public static int killAllOf(long servicePid) {
        List<Proc> left = ofService(servicePid);
        left.forEach(Proc::kill);
        return left.size();
    }

    /** The process's environment, one {@code NAME=value} entry each; empty if unreadable or gone. */
    public static List<String> environ(long pid) {
        try {
            byte[] raw = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("environ"));
            return List.of(new String(raw, StandardCharsets.UTF_8).split("\0"));
        } catch (IOException e) {
            // Gone, or a kernel thread: no environment to match.
            return List.of();
        }
    }

    /** {@code pid:[inode]} of the process's PID namespace, or empty if it is gone. */
    public static Optional<String> pidNamespace(long pid) {
        try {
            return Optional.of(Files.readSymbolicLink(PROC.resolve(Long.toString(pid)).resolve("ns/pid")).toString());
        } catch (IOException e) {
            // Gone (or a kernel thread we may not inspect): it is in no namespace of ours.
            return Optional.empty();
        }
    }

    /** Resident set size in bytes ({@code VmRSS} of {@code /proc/<pid>/status}), or -1 if the process is gone. */
    public static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(PROC.resolve(Long.toString(pid)).resolve("status"), StandardCharsets.ISO_8859_1)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Gone between the caller's scan and this read: it has no memory to report.
        }
        return -1;
    }

    /**
     * CPU time (user + system, clock ticks of 10 ms) of each thread of {@code pid}, summed by thread name
     * ({@code /proc/<pid>/task/<tid>/stat}: the name is the thread's {@code comm}, at most 15 characters).
     */
    public static Map<String, Long> cpuTicksByThread(long pid) {
        Map<String, Long> ticks = new TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(PROC.resolve(Long.toString(pid)).resolve("task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"), StandardCharsets.ISO_8859_1);
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
                    ticks.merge(comm, Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Long::sum);
                } catch (IOException | RuntimeException e) {
                    // The thread ended between listing and reading: it no longer counts.
                }
            }
        } catch (IOException e) {
            // The process is gone: no threads, no ticks.
        }
        return ticks;
    }

    private static boolean descendsFrom(long pid, long ancestor, Map<Long, Long> parents) {
        long current = pid;
        for (int depth = 0; depth < 64; depth++) {
            Long parent = parents.get(current);
            if (parent == null || parent <= 1) {
                return false;
            }
            if (parent == ancestor) {
                return true;
            }
            current = parent;
        }
        return false;
    }
}

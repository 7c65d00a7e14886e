package dev.quiesce.process;

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
 * What {@code /proc} says about the processes on this machine: which ones belong to one Quiesce service (its
 * child JVMs and everything below them, daemonized or not), and whether a process seen earlier is still alive.
 * Other services may run on the same machine, so "ours" is decided per service pid, never by command line
 * alone: a process is ours if its environment carries {@code QUIESCE_PARENT_PID=<service pid>} (a child JVM,
 * inherited by whatever it starts) or if its ancestry leads to the service. Reading another process's
 * {@code environ} needs root or the same user, which is how these tests run.
 */
public final class ProcScan {

    static final String PARENT_VARIABLE = "QUIESCE_PARENT_PID";
    static final String CHILD_MAIN = "dev.quiesce.child.worker.ChildMain";
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
        boolean isSessionLeader() {
            return session == pid;
        }

        /** In the foreground process group of its terminal: a terminal's Ctrl+C signals it. */
        boolean isInForeground() {
            return terminalProcessGroup > 0 && terminalProcessGroup == processGroup;
        }

        /** The same process (same pid and start time) still exists and has not exited. */
        public boolean isAlive() {
            return read(pid).filter(now -> now.startTicks == startTicks && !now.isZombie()).isPresent();
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
            String stat = Files.readString(dir.resolve("stat"), StandardCharsets.UTF_8);
            // The command name (field 2) may hold spaces and parentheses: the fields we want follow the last ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            char state = fields[0].charAt(0);
            long ppid = Long.parseLong(fields[1]);
            long processGroup = Long.parseLong(fields[2]);
            long session = Long.parseLong(fields[3]);
            long terminalProcessGroup = Long.parseLong(fields[5]);
            long startTicks = Long.parseLong(fields[19]);
            byte[] raw = Files.readAllBytes(dir.resolve("cmdline"));
            String cmdline = new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim();
            return Optional.of(new Proc(pid, ppid, processGroup, session, terminalProcessGroup, state, startTicks, cmdline));
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
    static List<Proc> ofService(long servicePid) {
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
    static List<Proc> ofService(Proc service) {
        long newerHolderStart = read(service.pid()).filter(now -> now.startTicks() != service.startTicks())
                .map(Proc::startTicks).orElse(Long.MAX_VALUE);
        return ofService(service.pid()).stream().filter(p -> p.startTicks() < newerHolderStart).toList();
    }

    /** The service {@code pid} as it is now, to scan for its processes later with {@link #ofService(Proc)}. */
    static Proc service(long pid) {
        return read(pid).orElseThrow(() -> new AssertionError("no process " + pid));
    }

    /** The child JVMs among {@link #ofService}. */
    static List<Proc> childJvmsOf(long servicePid) {
        return ofService(servicePid).stream().filter(Proc::isChildJvm).toList();
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

    /** SIGKILL, unless the pid now names another process (start time differs) or none. */
    public static void kill(Proc process) {
        if (process.isAlive()) {
            ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
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

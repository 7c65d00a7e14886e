package dev.quiesce.child.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Kills the processes below this child JVM — what a task started and left behind, daemonized ones
 * included (this JVM is their subreaper) — and reaps the ones it adopted.
 *
 * <p>The snapshot is taken before anything is killed and the kill goes deepest first, so a dying
 * parent cannot hand its children to anyone we have not seen. A task may fork while we kill, so the
 * snapshot is retaken a few times until nothing is left. {@link ProcessHandle#destroyForcibly()} checks
 * the start time it recorded, so a pid reused meanwhile is not hit.
 *
 * <p>Reaping: the JDK's own reaper thread waits for every process started through {@code ProcessBuilder}
 * here; a pid we adopted (an orphan re-parented to us) has no one else to wait for it. We call
 * {@code waitpid(pid, WNOHANG)} only on pids we killed that are zombies whose parent is us — at once
 * for those that became our children during the kill (adopted for sure), after a short grace for those
 * that already were (they may be the JDK's, which reaps them within microseconds) unless the child is
 * exiting. Never
 * {@code waitpid(-1)}, which would steal the JDK's statuses.
 */
final class Descendants {

    /** The stderr line after a task that left processes behind (the counts also go to the service in Stats). */
    static final String LEFTOVER_LINE = "killed %d leftover descendant(s) and reaped %d zombie(s) of job %d";

    private static final long JDK_REAPER_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final int KILL_ROUNDS = 4;

    private volatile LinuxProcessControl linux = LinuxProcessControl.NONE;
    private volatile boolean subreaper;
    /** Zombies found (processes that had exited on their own, with no reaper but us) and reaped, since last taken. */
    private final java.util.concurrent.atomic.AtomicInteger zombiesReaped = new java.util.concurrent.atomic.AtomicInteger();

    /** From now on reap adopted pids through {@code linux}; {@code subreaper} says whether we adopt. */
    void use(LinuxProcessControl linux, boolean subreaper) {
        this.linux = linux;
        this.subreaper = subreaper;
    }

    /**
     * Runs the scan once, with nothing to kill, so that the classes and call sites it needs are ready
     * when a dying parent leaves the child 100 ms to kill its descendants and exit.
     */
    void warmUp() {
        snapshot(ProcessHandle.current().pid());
        Stat.read(ProcessHandle.current().pid());
        killAll(0, false);
    }

    /**
     * Kills every live descendant, deepest first, then reaps adopted ones until {@code reapBudgetNanos}
     * has passed. Returns how many live processes were killed. When {@code exiting}, zombies of ours are
     * reaped without the grace left to the JDK's reaper: no one will ask for their status any more, and
     * a zombie left behind would wait for init, which may be slow to reap it.
     */
    int killAll(long reapBudgetNanos, boolean exiting) {
        long deadline = System.nanoTime() + reapBudgetNanos;
        // As a subreaper, "no child at all" means "no descendant at all": one system call instead of a
        // scan of /proc after every task.
        LinuxProcessControl linux = this.linux;
        if (subreaper && !linux.mayHaveChildren()) {
            return 0;
        }
        long self = ProcessHandle.current().pid();
        Map<Long, ProcessHandle> toReap = new LinkedHashMap<>();
        Set<Long> foundDead = new HashSet<>();
        Set<Long> childrenBeforeKill = new HashSet<>();
        int killed = 0;
        for (int round = 0; round < KILL_ROUNDS; round++) {
            List<Node> snapshot = snapshot(self);
            List<Node> alive = new ArrayList<>();
            for (Node node : snapshot) {
                long pid = node.handle.pid();
                if (node.parent == self && !toReap.containsKey(pid)) {
                    childrenBeforeKill.add(pid);
                }
                if (node.state == 'Z') {
                    if (toReap.putIfAbsent(pid, node.handle) == null) {
                        foundDead.add(pid); // died by itself; if we adopted it, no one else reaps it
                    }
                } else if (!toReap.containsKey(pid)) {
                    alive.add(node);
                }
            }
            if (alive.isEmpty()) {
                break;
            }
            alive.sort(Comparator.comparingInt((Node node) -> node.depth).reversed());
            for (Node node : alive) {
                node.handle.destroyForcibly();
                toReap.put(node.handle.pid(), node.handle);
                killed++;
            }
        }
        zombiesReaped.addAndGet(reap(linux, self, toReap, foundDead, exiting ? Set.of() : childrenBeforeKill, deadline));
        return killed;
    }

    /** How many zombies {@link #killAll} reaped since the last call: adopted processes that had exited unreaped. */
    int takeZombiesReaped() {
        return zombiesReaped.getAndSet(0);
    }

    /** Reaps what can be reaped; returns how many of {@code foundDead} (zombies before any kill) it reaped. */
    private static int reap(LinuxProcessControl linux, long self, Map<Long, ProcessHandle> killed, Set<Long> foundDead,
                            Set<Long> childrenBeforeKill, long deadline) {
        int zombies = 0;
        Map<Long, Long> zombieSince = new HashMap<>();
        Set<Long> pending = new HashSet<>(killed.keySet());
        while (!pending.isEmpty()) {
            for (Iterator<Long> it = pending.iterator(); it.hasNext(); ) {
                long pid = it.next();
                Stat stat = Stat.read(pid);
                if (stat == null) {
                    if (!killed.get(pid).isAlive()) {
                        it.remove(); // gone (reaped by the JDK or its own parent), or no /proc to tell
                    }
                    continue;
                }
                if (stat.state != 'Z' || stat.parent != self) {
                    continue; // still dying, or its parent has yet to die and hand it to us
                }
                long now = System.nanoTime();
                long since = zombieSince.computeIfAbsent(pid, p -> now);
                if ((!childrenBeforeKill.contains(pid) || now - since >= JDK_REAPER_GRACE_NANOS)
                        && linux.reap(pid) && foundDead.contains(pid)) {
                    zombies++;
                }
            }
            if (pending.isEmpty() || System.nanoTime() - deadline >= 0) {
                break;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!pending.isEmpty()) {
            ChildLog.line(pending.size() + " killed descendant(s) not gone yet: " + pending);
        }
        return zombies;
    }

    private static List<Node> snapshot(long self) {
        List<ProcessHandle> handles = ProcessHandle.current().descendants().toList();
        Map<Long, Long> parents = new HashMap<>();
        List<Node> nodes = new ArrayList<>(handles.size());
        for (ProcessHandle handle : handles) {
            Stat stat = Stat.read(handle.pid());
            long parent = stat != null ? stat.parent : handle.parent().map(ProcessHandle::pid).orElse(-1L);
            char state = stat != null ? stat.state : (handle.isAlive() ? 'R' : 'X');
            if (state == 'X') {
                continue; // gone since the scan
            }
            parents.put(handle.pid(), parent);
            nodes.add(new Node(handle, parent, state));
        }
        for (Node node : nodes) {
            int depth = 1;
            Long up = node.parent;
            while (up != null && up != self && depth < 1024) {
                up = parents.get(up);
                depth++;
            }
            node.depth = depth;
        }
        return nodes;
    }

    private static final class Node {
        final ProcessHandle handle;
        final long parent;
        final char state;
        int depth;

        Node(ProcessHandle handle, long parent, char state) {
            this.handle = handle;
            this.parent = parent;
            this.state = state;
        }
    }

    /** The state letter and parent pid from {@code /proc/<pid>/stat}; null when the pid (or /proc) is gone. */
    record Stat(char state, long parent) {

        static Stat read(long pid) {
            String text;
            try {
                text = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                return null; // NoSuchFileException: the process is gone (or this is not Linux)
            }
            // "pid (comm) S ppid ...": comm may hold spaces and parentheses, so parse after the last ')'.
            int close = text.lastIndexOf(')');
            if (close < 0 || close + 2 >= text.length()) {
                return null;
            }
            String[] fields = text.substring(close + 2).split(" ", 3);
            try {
                return new Stat(fields[0].charAt(0), Long.parseLong(fields[1]));
            } catch (RuntimeException e) {
                return null; // not the format above: treat as unknown
            }
        }
    }
}

package dev.quiesce.child;

import dev.quiesce.shutdown.Deadline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of a process and its descendants, taken <em>before</em> anything is killed: once a parent dies
 * its children are re-parented and can no longer be found from it. Killing goes bottom-up (deepest first, the
 * root last) so no process gets the chance to spawn or respawn under a dead parent. Each {@link ProcessHandle}
 * carries the start time it was found with, and the JDK checks it before signalling, so a reused pid is never
 * hit.
 */
final class ProcessTree {

    private static final boolean PROC_AVAILABLE = ProcStat.available();

    private final ProcessHandle root;
    private final List<ProcessHandle> bottomUp;

    private ProcessTree(ProcessHandle root, List<ProcessHandle> bottomUp) {
        this.root = root;
        this.bottomUp = bottomUp;
    }

    static ProcessTree snapshot(ProcessHandle root) {
        List<ProcessHandle> descendants = root.descendants().toList();
        Map<Long, Long> parentOf = new HashMap<>();
        for (ProcessHandle handle : descendants) {
            handle.parent().ifPresent(parent -> parentOf.put(handle.pid(), parent.pid()));
        }
        Map<Long, Integer> depth = new HashMap<>();
        for (ProcessHandle handle : descendants) {
            int d = 0;
            for (Long pid = handle.pid(); pid != null && pid != root.pid() && d < 64; pid = parentOf.get(pid)) {
                d++;
            }
            depth.put(handle.pid(), d);
        }
        List<ProcessHandle> ordered = new ArrayList<>(descendants);
        ordered.sort(Comparator.comparingInt((ProcessHandle h) -> depth.get(h.pid())).reversed());
        ordered.add(root);
        return new ProcessTree(root, List.copyOf(ordered));
    }

    ProcessHandle root() {
        return root;
    }

    /** Every process of the tree, deepest first, the root last. */
    List<ProcessHandle> bottomUp() {
        return bottomUp;
    }

    List<Long> descendantPids() {
        return bottomUp.stream().filter(h -> h != root).map(ProcessHandle::pid).toList();
    }

    /** SIGKILL to every process of the tree, bottom-up. */
    void kill() {
        for (ProcessHandle handle : bottomUp) {
            handle.destroyForcibly();
        }
    }

    /** Waits until every process is gone (or a zombie), at most until the deadline; true if all are. */
    boolean awaitGone(Deadline deadline) {
        while (true) {
            if (bottomUp.stream().allMatch(ProcessTree::isGone)) {
                return true;
            }
            if (deadline.hasPassed()) {
                return false;
            }
            try {
                Thread.sleep(Math.min(10, Math.max(1, deadline.remaining().toMillis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** Exited, or a zombie waiting to be reaped (the JDK counts a zombie as alive). */
    static boolean isGone(ProcessHandle handle) {
        return !handle.isAlive() || (PROC_AVAILABLE && ProcStat.isGone(handle.pid()));
    }

    int size() {
        return bottomUp.size();
    }
}

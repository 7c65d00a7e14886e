package dev.quiesce.child;

import dev.quiesce.leak.LeakKind;
import dev.quiesce.leak.Leaks;
import dev.quiesce.shutdown.Deadline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes this JVM a child subreaper (Linux {@code prctl(PR_SET_CHILD_SUBREAPER)}), so that a process which
 * escapes a child JVM — a daemonized grandchild whose parent exited — is re-parented to us instead of to
 * init, where we can still kill it. Such <em>adopted</em> processes are ours to reap: {@code waitpid(pid,
 * WNOHANG)} for those pids only. Never {@code waitpid(-1)}: it would steal the exit statuses the JDK's
 * reaper thread waits for.
 *
 * <p>Adopted = a child of this JVM that is not a child JVM we launched and whose environment carries
 * {@code QUIESCE_PARENT_PID=<our pid>}, the variable every child JVM gets and its descendants inherit; other
 * processes this JVM started (which the JDK reaps) lack it and are left alone. A zombie child is reaped only if
 * it was adopted, or if it is still a zombie one sweep later: the JDK reaps its own children at once, so a
 * lingering zombie has no other reaper.
 *
 * <p>Every adopted process is a leak of the child JVM it escaped ({@code descendant_process}, killed), and an
 * adopted process that exited on its own and waited for a reaper is a {@code zombie} (reaped): both counted.
 */
final class Subreaper {

    private static final Logger log = LoggerFactory.getLogger(Subreaper.class);
    private static final int PR_SET_CHILD_SUBREAPER = 36;
    private static final int WNOHANG = 1;

    private final long self = ProcessHandle.current().pid();
    private final String selfText = Long.toString(self);
    private final Set<Long> adopted = ConcurrentHashMap.newKeySet();
    private final Set<Long> terminated = ConcurrentHashMap.newKeySet();
    private final Set<Long> reapable = ConcurrentHashMap.newKeySet();
    private final AtomicInteger adoptedKilled = new AtomicInteger();
    private final AtomicInteger zombiesReaped = new AtomicInteger();
    private final Leaks leaks;
    private Set<Long> zombiesLastSweep = Set.of();
    private volatile MethodHandle waitpid;

    Subreaper(Leaks leaks) {
        this.leaks = leaks;
    }

    /** Becomes a subreaper on Linux; one INFO line and nothing else elsewhere. True if it worked. */
    boolean enable() {
        if (!ProcStat.available()) {
            log.info("Not on Linux: no child subreaper; processes escaping a child JVM are re-parented to init");
            return false;
        }
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle prctl = linker.downcallHandle(linker.defaultLookup().find("prctl").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG),
                    Linker.Option.firstVariadicArg(1));
            waitpid = linker.downcallHandle(linker.defaultLookup().find("waitpid").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
            int rc = (int) prctl.invokeExact(PR_SET_CHILD_SUBREAPER, 1L);
            if (rc != 0) {
                log.warn("prctl(PR_SET_CHILD_SUBREAPER) failed ({}): escaped grandchildren go to init", rc);
                return false;
            }
            log.debug("This JVM (pid {}) is a child subreaper", self);
            return true;
        } catch (Throwable e) {
            log.warn("Cannot become a child subreaper ({}); escaped grandchildren go to init", e.toString());
            return false;
        }
    }

    /**
     * One non-blocking pass: SIGTERM to adopted processes seen for the first time, SIGKILL to those already
     * signalled, reap adopted zombies. {@code launched} are the child JVMs the JDK reaps: never touched here.
     */
    synchronized void sweep(Set<Long> launched) {
        if (waitpid == null) {
            return;
        }
        Set<Long> zombies = new HashSet<>();
        for (ProcStat child : ProcStat.childrenOf(self)) {
            long pid = child.pid();
            if (launched.contains(pid)) {
                continue;
            }
            if (child.isZombie()) {
                if (adopted.contains(pid) || reapable.contains(pid) || zombiesLastSweep.contains(pid)) {
                    reap(pid);
                } else {
                    zombies.add(pid);
                }
            } else if (adopted.contains(pid) || ProcStat.hasEnvironment(pid, ChildCommand.PARENT_PID_VARIABLE, selfText)) {
                signal(pid);
            }
        }
        zombiesLastSweep = zombies;
        reapable.removeIf(pid -> ProcStat.read(pid).isEmpty()); // reaped by someone else: the child JVM itself
        adopted.removeIf(pid -> ProcStat.read(pid).isEmpty());
    }

    /** Sweeps until no adopted process is left or the deadline passes: SIGTERM, SIGKILL a sweep later, reap. */
    void killAll(Set<Long> launched, Deadline deadline) {
        while (true) {
            sweep(launched);
            List<Long> left = adoptedAlive();
            if (left.isEmpty()) {
                return;
            }
            if (deadline.hasPassed()) {
                log.warn("Adopted process(es) {} still there at the deadline", left);
                return;
            }
            pause(deadline);
        }
    }

    /** Processes killed elsewhere (a child JVM's tree) that become ours to reap once re-parented to us. */
    void reapWhenDead(Collection<Long> pids) {
        reapable.addAll(pids);
    }

    int adoptedKilled() {
        return adoptedKilled.get();
    }

    int zombiesReaped() {
        return zombiesReaped.get();
    }

    /** Adopted processes (or processes of killed trees) still alive and still our children. */
    List<Long> adoptedAlive() {
        Set<Long> ours = new HashSet<>(adopted);
        ours.addAll(reapable);
        return ours.stream().filter(pid -> ProcStat.read(pid).filter(s -> s.ppid() == self).isPresent()).toList();
    }

    private void signal(long pid) {
        adopted.add(pid);
        ProcessHandle.of(pid).ifPresent(handle -> {
            if (terminated.add(pid)) {
                adoptedKilled.incrementAndGet();
                leaks.reclaimed(LeakKind.DESCENDANT_PROCESS, 1, "process " + pid + " (" + handle.info().commandLine().orElse("?")
                        + ") adopted from a dead child JVM, killed");
                handle.destroy();
            } else {
                handle.destroyForcibly();
            }
        });
    }

    private void reap(long pid) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment status = arena.allocate(ValueLayout.JAVA_INT);
            int rc = (int) waitpid.invokeExact((int) pid, status, WNOHANG);
            if (rc == pid) {
                zombiesReaped.incrementAndGet();
                if (!terminated.contains(pid) && !reapable.contains(pid)) {
                    leaks.reclaimed(LeakKind.ZOMBIE, 1, "process " + pid + " adopted from a dead child JVM exited unreaped, reaped");
                }
                adopted.remove(pid);
                reapable.remove(pid);
                terminated.remove(pid);
            }
        } catch (Throwable e) {
            log.debug("waitpid({}) failed: {}", pid, e.toString());
        }
    }

    private static void pause(Deadline deadline) {
        try {
            Thread.sleep(Math.max(1, Math.min(50, deadline.remaining().toMillis())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.quiesce.child.worker;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few Linux system calls the child needs that the JDK does not offer, called through the FFM API:
 * {@code prctl} (parent-death signal, subreaper), {@code getppid}, {@code waitpid} of one adopted pid and
 * a non-reaping "have I any children?" probe. Elsewhere, or when a call cannot be bound, every method
 * degrades to a no-op (or "unknown") after one line on stderr: the child still works, it only loses
 * the guarantees these calls add.
 */
final class LinuxProcessControl {

    private static final int PR_SET_PDEATHSIG = 1;
    private static final int PR_SET_CHILD_SUBREAPER = 36;
    /** SIGTERM, not SIGKILL: the child must get the chance to kill its own descendants first. */
    private static final int SIGTERM = 15;
    private static final int WNOHANG = 1, WEXITED = 4, WNOWAIT = 0x0100_0000;
    private static final int P_ALL = 0;
    private static final int ECHILD = 10;
    private static final long SIGINFO_SIZE = 128;

    private final MethodHandle prctl, getppid, waitpid, waitid;
    private final VarHandle errno;

    private LinuxProcessControl(MethodHandle prctl, MethodHandle getppid, MethodHandle waitpid, MethodHandle waitid,
            VarHandle errno) {
        this.prctl = prctl;
        this.getppid = getppid;
        this.waitpid = waitpid;
        this.waitid = waitid;
        this.errno = errno;
    }

    /** Calls nothing: what the child uses until {@link #bind()} is done, and where it fails. */
    static final LinuxProcessControl NONE = new LinuxProcessControl(null, null, null, null, null);

    /**
     * Binds the calls on Linux; anywhere else, or on failure, returns {@link #NONE}. Costly: the first
     * downcall handle of a JVM takes 100-300 ms of CPU (its stubs are generated), which is why the child
     * binds them on its task thread, after it has said hello.
     */
    static LinuxProcessControl bind() {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            ChildLog.line("not Linux: no parent-death signal, no subreaper, no reaping of adopted descendants");
            return NONE;
        }
        try {
            Linker linker = Linker.nativeLinker();
            SymbolLookup libc = linker.defaultLookup();
            Linker.Option captureErrno = Linker.Option.captureCallState("errno");
            MethodHandle prctl = linker.downcallHandle(libc.findOrThrow("prctl"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG),
                    Linker.Option.firstVariadicArg(1));
            MethodHandle getppid = linker.downcallHandle(libc.findOrThrow("getppid"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT));
            MethodHandle waitpid = linker.downcallHandle(libc.findOrThrow("waitpid"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
            MethodHandle waitid = linker.downcallHandle(libc.findOrThrow("waitid"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                            ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
                    captureErrno);
            VarHandle errno = Linker.Option.captureStateLayout()
                    .varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
            return new LinuxProcessControl(prctl, getppid, waitpid, waitid, errno);
        } catch (RuntimeException | LinkageError e) {
            // IllegalCallerException when native access is not enabled, NoSuchElementException for a
            // missing symbol: both mean "run without these guarantees", which the line below says.
            ChildLog.line("native process control unavailable (" + e + "): no parent-death signal, no subreaper");
            return NONE;
        }
    }

    boolean available() {
        return prctl != null;
    }

    /**
     * Asks the kernel to send this process SIGTERM when the thread that started it dies. The setting
     * belongs to the calling thread and ends with it, so call it from a thread that lives as long as the
     * process.
     */
    boolean setParentDeathSignal() {
        return prctl(PR_SET_PDEATHSIG, SIGTERM, "PR_SET_PDEATHSIG");
    }

    /** Makes orphaned descendants re-parent to this process instead of init, so they can be found and killed. */
    boolean becomeSubreaper() {
        return prctl(PR_SET_CHILD_SUBREAPER, 1, "PR_SET_CHILD_SUBREAPER");
    }

    /** The real parent's pid, or -1 when unknown. */
    long parentPid() {
        if (getppid == null) {
            return -1;
        }
        try {
            return (int) getppid.invokeExact();
        } catch (Throwable e) {
            throw new IllegalStateException("getppid failed", e);
        }
    }

    /** Reaps {@code pid} if it is an exited child of ours; never blocks, never touches another pid. */
    boolean reap(long pid) {
        if (waitpid == null) {
            return false;
        }
        try {
            return (int) waitpid.invokeExact((int) pid, MemorySegment.NULL, WNOHANG) == (int) pid;
        } catch (Throwable e) {
            throw new IllegalStateException("waitpid failed", e);
        }
    }

    /**
     * Whether this process has any child (running or exited), without reaping anything:
     * {@code waitid(P_ALL, WEXITED | WNOHANG | WNOWAIT)} fails with ECHILD exactly when there is none.
     * As a subreaper, no child means no descendant at all, which lets the per-task leftover check skip
     * scanning {@code /proc}. Returns true when unknown.
     */
    boolean mayHaveChildren() {
        if (waitid == null) {
            return true;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(SIGINFO_SIZE);
            MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
            int rc = (int) waitid.invokeExact(state, P_ALL, 0, info, WEXITED | WNOHANG | WNOWAIT);
            return rc == 0 || (int) errno.get(state, 0L) != ECHILD;
        } catch (Throwable e) {
            throw new IllegalStateException("waitid failed", e);
        }
    }

    private boolean prctl(int option, long value, String name) {
        if (prctl == null) {
            return false;
        }
        try {
            int rc = (int) prctl.invokeExact(option, value);
            if (rc != 0) {
                ChildLog.line("prctl(" + name + ") failed with " + rc);
            }
            return rc == 0;
        } catch (Throwable e) {
            throw new IllegalStateException("prctl(" + name + ") failed", e);
        }
    }
}

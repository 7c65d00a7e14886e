package dev.quiesce.child.worker;

/**
 * Whether the service that started this child is still its parent. The service passes its pid in
 * {@link ChildMain#PARENT_PID_ENV}; once it dies the child is re-parented (to a subreaper or init), so a
 * different parent pid means "gone". Without the variable (a child started by hand) nothing is checked.
 */
final class ParentWatch {

    private final long expected;
    private volatile LinuxProcessControl linux = LinuxProcessControl.NONE;

    private ParentWatch(long expected) {
        this.expected = expected;
    }

    static ParentWatch fromEnvironment() {
        String value = System.getenv(ChildMain.PARENT_PID_ENV);
        long expected = -1;
        if (value == null || value.isBlank()) {
            ChildLog.line(ChildMain.PARENT_PID_ENV + " not set: the parent pid is not checked");
        } else {
            try {
                expected = Long.parseLong(value.strip());
            } catch (NumberFormatException e) {
                ChildLog.line(ChildMain.PARENT_PID_ENV + "='" + value + "' is not a pid: the parent pid is not checked");
            }
        }
        return new ParentWatch(expected);
    }

    /** From now on ask getppid() (one system call) instead of the JDK (which reads /proc). */
    void use(LinuxProcessControl linux) {
        this.linux = linux;
    }

    long expected() {
        return expected;
    }

    /** The real parent's pid: getppid() where bound, else what the JDK reads (-1 if unknown). */
    long actual() {
        long pid = linux.parentPid();
        return pid >= 0 ? pid : ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
    }

    boolean isGone() {
        return expected >= 0 && actual() != expected;
    }
}

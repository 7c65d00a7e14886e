package dev.quiesce.child.worker;

/**
 * The child's slow start-up work, run first on the task thread while the main thread says hello:
 * bind the native calls, arm the parent-death signal, become a subreaper, ignore SIGINT, and only then
 * check that the parent still lives — a parent that died before the signal was armed is caught here.
 *
 * <p>It runs on the task thread for two reasons: the parent-death setting belongs to the thread that
 * made it and ends with that thread, and the task thread lives as long as the process; and the first
 * task cannot start before this is done, so no task can daemonize a process before the child is its
 * subreaper. Until then a dying parent is still noticed through the end of stdin.
 */
final class ParentDeathGuard implements Runnable {

    private final Descendants descendants;
    private final ParentWatch parent;
    private final ChildExit exit;

    ParentDeathGuard(Descendants descendants, ParentWatch parent, ChildExit exit) {
        this.descendants = descendants;
        this.parent = parent;
        this.exit = exit;
    }

    @Override
    public void run() {
        LinuxProcessControl linux = LinuxProcessControl.bind();
        linux.setParentDeathSignal();
        descendants.use(linux, linux.becomeSubreaper());
        parent.use(linux);
        TerminalInterrupt.ignore();
        descendants.warmUp();
        if (parent.isGone()) {
            exit.halt(ChildExitCode.ORPHANED_AT_START, "parent " + parent.expected() + " is not this process's parent ("
                    + parent.actual() + "): it is gone");
        }
    }
}

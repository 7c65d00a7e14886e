package dev.quiesce.child;

/**
 * Kills a child JVM with everything below it: the tree is snapshotted first (once the child is dead its
 * descendants can no longer be found from it), SIGKILLed bottom-up, and the descendants are left to the
 * subreaper, which reaps them once they are re-parented to this JVM. The child's exit then arrives, like any
 * exit, through its reader thread.
 */
final class ChildKiller {

    private final ChildRoster roster;
    private final Subreaper subreaper;

    ChildKiller(ChildRoster roster, Subreaper subreaper) {
        this.roster = roster;
        this.subreaper = subreaper;
    }

    /**
     * A kill the pool decided (a task's timeout or a kill request): the child's exit counts as
     * {@link ChildExit#KILLED}, not as a crash, and its replacement starts without a back-off.
     */
    void kill(ChildProcess child, StartReason replaceFor) {
        synchronized (roster) {
            if (child.endedAs == null) {
                child.endedAs = ChildExit.KILLED;
                child.replaceFor = replaceFor;
            }
        }
        killTree(child);
    }

    /** SIGKILL to the child's tree; how its exit counts is left as it is. */
    void killTree(ChildProcess child) {
        ProcessTree tree = ProcessTree.snapshot(child.process.toHandle());
        tree.kill();
        subreaper.reapWhenDead(tree.descendantPids());
    }
}

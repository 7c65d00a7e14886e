package dev.quiesce.child;

import dev.quiesce.leak.LeakKind;
import dev.quiesce.leak.Leaks;

/**
 * Kills a child JVM with everything below it: the tree is snapshotted first (once the child is dead its
 * descendants can no longer be found from it), SIGKILLed bottom-up, and the descendants are left to the
 * subreaper, which reaps them once they are re-parented to this JVM. The child's exit then arrives, like any
 * exit, through its reader thread. A child that had to be killed did not let go of its work when asked: it
 * counts as a {@code child_process} leak (reclaimed), and what it had below it as {@code descendant_process}.
 */
final class ChildKiller {

    private final ChildRoster roster;
    private final Subreaper subreaper;
    private final Leaks leaks;

    ChildKiller(ChildRoster roster, Subreaper subreaper, Leaks leaks) {
        this.roster = roster;
        this.subreaper = subreaper;
        this.leaks = leaks;
    }

    /**
     * A kill the pool decided (a task's timeout or a kill request): the child's exit counts as
     * {@link ChildExit#KILLED}, not as a crash, and its replacement starts without a back-off.
     */
    void kill(ChildProcess child, StartReason replaceFor) {
        synchronized (roster) {
            child.lifecycle.markKilled(replaceFor);
        }
        killTree(child);
    }

    /** SIGKILL to the child's tree; how its exit counts is left as it is. */
    void killTree(ChildProcess child) {
        ProcessTree tree = ProcessTree.snapshot(child.process.toHandle());
        tree.kill();
        subreaper.reapWhenDead(tree.descendantPids());
        leaks.reclaimed(LeakKind.CHILD_PROCESS, 1, child.name + " (pid " + child.pid + ") did not let go when asked, killed");
        leaks.reclaimed(LeakKind.DESCENDANT_PROCESS, tree.descendantPids().size(),
                "descendant(s) " + tree.descendantPids() + " of " + child.name + ", killed with it");
    }
}

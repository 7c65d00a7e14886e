package dev.quiesce.child.worker.task;

import dev.quiesce.api.child.ChildTask;
import dev.quiesce.api.child.TaskContext;
import sun.misc.Signal;

/**
 * Fault task {@code stuck}: like {@code hang} it never returns and ignores cancels and interrupts, and it also
 * makes its child JVM ignore SIGTERM — as a process in uninterruptible work (a hung NFS read, a driver call)
 * would not react to it — so that only the SIGKILL at the child-stop deadline ends it. The child it ran on is
 * then counted as a leaked {@code child_process} (killed, not terminated). If the service dies meanwhile, the
 * child still goes: stdin's end makes it halt.
 */
public final class StuckTask implements FaultTask {

    @Override
    public String type() {
        return "stuck";
    }

    @Override
    public String run(TaskContext context) {
        Signal.handle(new Signal("TERM"), signal -> System.err.println("stuck task of job " + context.jobId()
                + ": ignoring SIGTERM"));
        while (true) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                // Swallowed on purpose: this task exists to ignore cancellation.
            }
        }
    }
}

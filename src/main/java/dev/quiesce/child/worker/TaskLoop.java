package dev.quiesce.child.worker;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * The child's one task thread. The main thread hands it a task ({@link #start}) and forwards cancels
 * ({@link #cancel}); the task thread runs the task, kills whatever processes it left behind, and then
 * sends {@code Result} and {@code Stats} together; the Stats say how many leftovers it killed and reaped, for
 * the service's leak count.
 *
 * <p>Leftovers are killed before the result goes out: once the service has the result it may send the
 * next task, whose processes must not be mistaken for the previous task's. The task counts as done (no
 * longer busy, no longer cancellable) just before the result is sent, so a service that waits for the
 * result before sending the next task never looks like it sent a task to a busy child.
 */
final class TaskLoop implements Runnable {

    private static final long LEFTOVER_REAP_BUDGET_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Runnable preparation;
    private final FrameWriter writer;
    private final Descendants descendants;
    private final ChildExit exit;
    private final Object lock = new Object();
    private final Thread thread;

    // Guarded by lock.
    private RunningTask current;
    private boolean running;
    private boolean exitWhenDone;
    private long tasksServed;

    /**
     * @param preparation runs first on the task thread, before the first task: the child's slow start-up
     *                    work, kept off the path to its hello; the thread must outlive it (see
     *                    {@link LinuxProcessControl#setParentDeathSignal()})
     */
    TaskLoop(Runnable preparation, FrameWriter writer, Descendants descendants, ChildExit exit) {
        this.preparation = preparation;
        this.writer = writer;
        this.descendants = descendants;
        this.exit = exit;
        this.thread = new Thread(this, "quiesce-task");
        thread.setDaemon(true);
    }

    void startThread() {
        thread.start();
    }

    /** Hands {@code task} to the task thread; false if a task is still running (a protocol error). */
    boolean start(Frame.Task task) {
        synchronized (lock) {
            if (current != null) {
                return false;
            }
            current = new RunningTask(task);
            running = true;
            lock.notifyAll();
            return true;
        }
    }

    /** Interrupts the running task if it is job {@code jobId}; a late or stray cancel is ignored. */
    void cancel(long jobId) {
        synchronized (lock) {
            if (current != null && running && current.jobId() == jobId) {
                current.cancel();
                thread.interrupt();
            }
        }
    }

    /** Returns true if no task runs (the caller exits now); else the task thread exits after its result. */
    boolean exitWhenIdle() {
        synchronized (lock) {
            exitWhenDone = true;
            return current == null;
        }
    }

    /** The job id of the task in hand, or -1. */
    long currentJobId() {
        synchronized (lock) {
            return current == null ? -1 : current.jobId();
        }
    }

    @Override
    public void run() {
        try {
            TaskCatalog catalog = TaskCatalog.load();
            ResidentMemory memory = new ResidentMemory(); // here, not in the constructor: NIO's start-up is not free
            preparation.run();
            while (true) {
                RunningTask task = next();
                Frame.Result result = execute(catalog, task);
                long served;
                synchronized (lock) {
                    running = false; // from here on a cancel for this job is late, and ignored
                    Thread.interrupted(); // and one that raced with the task's end must not hit what follows
                }
                int leftovers = descendants.killAll(LEFTOVER_REAP_BUDGET_NANOS, false);
                int zombies = descendants.takeZombiesReaped();
                if (leftovers > 0 || zombies > 0) {
                    ChildLog.line(String.format(Descendants.LEFTOVER_LINE, leftovers, zombies, task.jobId()));
                }
                boolean exitNow;
                synchronized (lock) {
                    current = null;
                    served = ++tasksServed;
                    exitNow = exitWhenDone;
                }
                try {
                    writer.send(result, new Frame.Stats(memory.bytes(), served, leftovers, zombies));
                } catch (IOException e) {
                    exit.halt(ChildExitCode.GRACEFUL, "the service is gone (writing the result of job "
                            + task.jobId() + " failed: " + e.getMessage() + ")");
                }
                if (exitNow) {
                    exit.halt(ChildExitCode.GRACEFUL, "shutdown requested, last task done");
                }
            }
        } catch (Throwable e) {
            e.printStackTrace();
            exit.halt(ChildExitCode.INTERNAL_ERROR, "the task thread failed: " + e);
        }
    }

    private RunningTask next() {
        synchronized (lock) {
            while (current == null) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    // Only cancel() interrupts this thread, and only once a task is in hand: the task's
                    // own flag below says whether to pass it on.
                }
            }
            if (current.isCancelled()) {
                Thread.currentThread().interrupt(); // cancelled before it started: let it see the interrupt
            } else {
                Thread.interrupted();
            }
            return current;
        }
    }

    private static Frame.Result execute(TaskCatalog catalog, RunningTask task) {
        try {
            String text = catalog.find(task.type()).run(task);
            return new Frame.Result(task.jobId(), true, text == null ? "" : text);
        } catch (Throwable e) {
            if (task.isCancelled()) {
                return new Frame.Result(task.jobId(), false, "cancelled");
            }
            String message = e.getMessage();
            java.io.StringWriter trace = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(trace));
            String text = trace.toString();
            if (text.length() > Frame.Result.MAX_TRACE_CHARS) {
                text = text.substring(0, Frame.Result.MAX_TRACE_CHARS) + "\n\t...";
            }
            return new Frame.Result(task.jobId(), false, e.getClass().getSimpleName() + (message == null ? "" : ": " + message)
                    + Frame.Result.TRACE_SEPARATOR + text);
        }
    }
}

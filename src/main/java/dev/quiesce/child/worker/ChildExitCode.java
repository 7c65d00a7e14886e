package dev.quiesce.child.worker;

/**
 * How a child JVM's exit code reads, for the service's log and a job's {@code lastError}. The child
 * kills its descendants before every exit it controls (all but {@link #CRASH_TASK} and SIGKILL).
 */
public enum ChildExitCode {

    /** After a {@code Shutdown} frame, or when stdin reached its end (the service is gone). */
    GRACEFUL(0, "exited"),
    /** An error in the child's own code; details on its stderr. */
    INTERNAL_ERROR(1, "internal error in the child"),
    /** A malformed frame, a task while busy or after shutdown, an unexpected frame type. */
    PROTOCOL_ERROR(2, "protocol error"),
    /** What HotSpot exits with under {@code -XX:+ExitOnOutOfMemoryError}. */
    OUT_OF_MEMORY(3, "out of memory (-XX:+ExitOnOutOfMemoryError)"),
    /** Started with {@code QUIESCE_PARENT_PID} naming a process that is not (or no longer) its parent. */
    ORPHANED_AT_START(4, "its parent was gone when it started"),
    /** The {@code crash} fault task. */
    CRASH_TASK(13, "crashed (halt)"),
    /** SIGTERM: from the service, or the parent-death signal; descendants were killed first. */
    TERMINATED(143, "terminated by SIGTERM"),
    /** SIGKILL: nothing ran in the child after it. */
    KILLED(137, "killed by SIGKILL");

    private final int code;
    private final String meaning;

    ChildExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    /** E.g. {@code "exit code 2 (protocol error)"}; codes not listed here get no explanation. */
    public static String describe(int code) {
        for (ChildExitCode known : values()) {
            if (known.code == code) {
                return "exit code " + code + " (" + known.meaning + ")";
            }
        }
        return "exit code " + code;
    }
}

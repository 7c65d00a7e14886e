package dev.quiesce.shutdown;

import org.springframework.context.SmartLifecycle;

/**
 * Every shutdown phase of Quiesce, in one place. Spring stops {@link SmartLifecycle} beans by phase,
 * highest first, and awaits each phase before the next, so the numbers below <em>are</em> the shutdown
 * order (DESIGN §4):
 * <ol>
 * <li>{@link #DISPATCH}: stop claiming, drain, cancel, release. It runs first so that the API and
 * {@code /actuator/prometheus} are still served while jobs drain: enqueue keeps working and the drain can
 * be watched. The retention sweep stops here too, before its next batch, without waiting.</li>
 * <li>{@link #WEB_SERVER}: Boot's graceful web server shutdown (not ours; named here for the order).</li>
 * <li>{@link #FLEET}: close the fleet listener (PostgreSQL), which frees this instance's liveness lock. After the
 * dispatcher, which has drained or released every job and marked the instance STOPPED by then: other instances
 * rescue the jobs of an instance whose lock is free, so the lock must be held as long as the instance holds jobs.
 * After the web server, so that jobs enqueued while it drains still wake the other instances.</li>
 * <li>{@link #CHILDREN}: terminate the child JVMs. After the dispatcher, because a draining job may still be
 * running in a child; after the web server, because nothing can reach a child any more.</li>
 * <li>{@link #AUDIT}: count what could not be released and write the shutdown report, once everything else
 * has had its chance. Still above {@code Integer.MAX_VALUE / 2}, before Spring's own low-phase beans.</li>
 * </ol>
 * The DataSource closes only at bean destruction, after every phase, so every phase may still write.
 */
public final class ShutdownPhases {

    public static final int DISPATCH = Integer.MAX_VALUE;

    /** Boot's {@code WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE}. */
    public static final int WEB_SERVER = SmartLifecycle.DEFAULT_PHASE - 1024;

    /** Below Boot's web server start/stop lifecycle ({@code DEFAULT_PHASE - 2048}), above the children. */
    public static final int FLEET = SmartLifecycle.DEFAULT_PHASE - 3072;

    /** Below Boot's web server start/stop lifecycle ({@code DEFAULT_PHASE - 2048}). */
    public static final int CHILDREN = SmartLifecycle.DEFAULT_PHASE - 4096;

    public static final int AUDIT = SmartLifecycle.DEFAULT_PHASE - 8192;

    private ShutdownPhases() {
    }
}

/**
 * Quiesce's public API: what a team's own jobs compile against. Everything outside {@code dev.quiesce.api} and
 * {@code dev.quiesce.api.child} is internal and may change without notice.
 *
 * <ul>
 *   <li>{@link dev.quiesce.api.JobHandler}: a job type run in the service's JVM (a Spring bean), with a typed,
 *       validated payload and a {@link dev.quiesce.api.JobContext}.</li>
 *   <li>{@link dev.quiesce.api.ChildJobType}: declares the payload of a job type run in a child JVM, so the service
 *       checks it at enqueue time; the work itself is a {@link dev.quiesce.api.child.ChildTask}.</li>
 *   <li>{@link dev.quiesce.api.Jobs}: enqueue from the application's own code.</li>
 * </ul>
 */
package dev.quiesce.api;

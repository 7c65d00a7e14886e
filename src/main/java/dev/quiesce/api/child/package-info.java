/**
 * The API of work that runs in a child JVM: {@link dev.quiesce.api.child.ChildTask}, its
 * {@link dev.quiesce.api.child.TaskContext} and a small JSON reader, {@link dev.quiesce.api.child.Json}. These classes
 * use nothing but the JDK: a child starts without Spring or any library, in about 100 ms. A task may use its own
 * libraries, which travel on the child's class path beside it (a plugin's jars, or the application's).
 */
package dev.quiesce.api.child;

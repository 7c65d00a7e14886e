package dev.quiesce.shutdown;

/** How the child pool's termination went, for the shutdown report; {@link ShutdownReport.Children#NONE} before one. */
public interface ChildrenAtShutdown {

    ShutdownReport.Children childrenAtShutdown();
}

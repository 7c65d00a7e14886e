package dev.quiesce.process;

import dev.quiesce.testing.ProcScan;
import dev.quiesce.testing.ProcScan.Proc;
import dev.quiesce.testing.QuiesceProcess;
import dev.quiesce.testing.QuiesceProcesses;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * After each test, kills whatever the test's services left alive — child JVMs and their descendants found by
 * {@link ProcScan#ofService} — and the helper processes the test started itself, so that a failed test never
 * leaks processes into the next one. Leftovers are printed, not asserted: asserting is the test's job.
 *
 * <p>Register it <em>before</em> {@link QuiesceProcesses}: JUnit runs {@code afterEach} callbacks in reverse
 * order, so the services are killed first and the sweep then finds what survived them.
 */
final class ProcessSweep implements AfterEachCallback {

    private final List<Proc> services = new CopyOnWriteArrayList<>();
    private final List<ProcessHandle> helpers = new CopyOnWriteArrayList<>();
    private final List<Runnable> cleanups = new CopyOnWriteArrayList<>();

    /**
     * Sweeps, after the test, the processes of the service {@code pid} (alive now); returns it as a process
     * seen now, for {@link ProcScan#ofService(Proc)}.
     */
    Proc watchService(long pid) {
        Proc service = ProcScan.service(pid);
        services.add(service);
        return service;
    }

    /** Kills {@code process} (a helper the test started) after the test, if still alive. */
    <T extends ProcessHandle> T watch(T process) {
        helpers.add(process);
        return process;
    }

    /** Runs {@code cleanup} after the test, before the sweep (e.g. killing a tmux server). */
    void onCleanup(Runnable cleanup) {
        cleanups.add(cleanup);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (Runnable cleanup : cleanups) {
            try {
                cleanup.run();
            } catch (RuntimeException e) {
                // One failed cleanup must not stop the others or the sweep; the test's own outcome stands.
                System.err.println("cleanup failed: " + e);
            }
        }
        for (Proc service : services) {
            if (service.isAlive()) {
                System.err.println("sweep: service " + service + " still alive after the test; killing it");
                service.kill();
            }
            List<Proc> leftovers = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                List<Proc> found = ProcScan.ofService(service);
                if (found.isEmpty()) {
                    break;
                }
                leftovers.addAll(found);
                found.forEach(Proc::kill);
                QuiesceProcess.pause(java.time.Duration.ofMillis(100));
            }
            if (!leftovers.isEmpty()) {
                System.err.println("sweep: killed " + leftovers.size() + " leftover process(es) of service " + service
                        + ": " + leftovers);
            }
        }
        for (ProcessHandle helper : helpers) {
            if (helper.isAlive()) {
                helper.destroyForcibly();
            }
        }
        services.clear();
        helpers.clear();
        cleanups.clear();
    }
}

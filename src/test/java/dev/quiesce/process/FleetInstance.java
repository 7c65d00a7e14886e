package dev.quiesce.process;

import dev.quiesce.testing.ProcScan.Proc;
import dev.quiesce.testing.QuiesceApi;
import dev.quiesce.testing.QuiesceProcess;
import dev.quiesce.testing.QuiesceProcesses;
import dev.quiesce.testing.Signal;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One member of a fleet under test, as a pod of a StatefulSet is: a stable name and data directory across
 * restarts (so a restart after a SIGKILL hands back at once what its previous incarnation held), the incarnation
 * running now, and every incarnation it had, for the check that none left a process behind. Each incarnation
 * writes its shutdown summary to a file of its own.
 */
final class FleetInstance {

    private final String name;
    private final Path dataDir;
    private final QuiesceProcesses quiesce;
    private final ProcessSweep sweep;
    private final List<String> options;
    private final List<Proc> incarnations = new ArrayList<>();
    private QuiesceProcess current;
    private String instanceId;

    FleetInstance(String name, Path dataDir, QuiesceProcesses quiesce, ProcessSweep sweep, List<String> options) {
        this.name = name;
        this.dataDir = dataDir;
        this.quiesce = quiesce;
        this.sweep = sweep;
        this.options = List.copyOf(options);
    }

    /** Launches the next incarnation on the instance's data directory, without waiting for it. */
    void launch() {
        List<String> all = new ArrayList<>(options);
        all.add("--quiesce.shutdown.termination-message-path=" + terminationMessage(incarnations.size() + 1));
        current = quiesce.launchOn(dataDir, all.toArray(String[]::new));
        incarnations.add(sweep.watchService(current.pid()));
        instanceId = null;
    }

    /** Waits until the incarnation launched last is ready, and learns its instance id (the owner of its leases). */
    void awaitReady() {
        current.awaitReady(QuiesceProcesses.START_BOUND);
        JsonNode status = current.actuator().get("quiesce").orElseThrow().json();
        instanceId = status.get("instance").get("id").asString();
    }

    void start() {
        launch();
        awaitReady();
    }

    /** Signals the incarnation running now and waits for it to exit (the bound only catches a hang). */
    QuiesceProcess.Exit stop(Signal signal) {
        current.signal(signal);
        return current.awaitExit(QuiesceProcesses.EXIT_BOUND);
    }

    /** The shutdown summary the incarnation running last wrote, one line per entry; empty if it wrote none. */
    List<String> lastTerminationMessage() {
        Path file = terminationMessage(incarnations.size());
        try {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    QuiesceApi api() {
        return current.api();
    }

    /** The instance id of the incarnation running now: the {@code owner} of the jobs it holds. */
    String instanceId() {
        return instanceId;
    }

    String name() {
        return name;
    }

    /** Every incarnation this instance had, as seen when it started. */
    List<Proc> incarnations() {
        return List.copyOf(incarnations);
    }

    private Path terminationMessage(int incarnation) {
        return dataDir.resolve("termination-" + incarnation + ".log");
    }

    @Override
    public String toString() {
        return name + " (incarnation " + incarnations.size() + ", " + current + ")";
    }
}

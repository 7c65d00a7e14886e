package dev.quiesce.leak;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * At shutdown: the file descriptors open now that were not open when the service became ready. Nothing can tie
 * a descriptor to its opener, so this is a count against a baseline: by the audit phase the web servers, the
 * child pipes and the connections they served are closed, so what remains above the baseline was opened and
 * never closed. Up to {@code tolerance} are forgiven (libraries open a few late); beyond that every one counts
 * as a {@code file_descriptor} leak and the log names what it points at. Linux only ({@code /proc/self/fd}).
 */
final class FileDescriptorCheck implements LeakCheck {

    private static final Logger log = LoggerFactory.getLogger(FileDescriptorCheck.class);
    private static final Path FDS = Path.of("/proc/self/fd");
    private static final int NAMED = 10;

    private final int tolerance;
    private volatile Set<Integer> baseline;

    FileDescriptorCheck(int tolerance) {
        this.tolerance = tolerance;
    }

    /** Takes the baseline: the descriptors open now (call once the service is ready). */
    void baseline() {
        baseline = open();
        log.debug("File descriptors open when ready: {}", baseline.size());
    }

    @Override
    public String name() {
        return "file descriptors";
    }

    @Override
    public void check(Leaks leaks) {
        Set<Integer> before = baseline;
        if (before == null || !Files.isDirectory(FDS)) {
            return; // never ready, or not Linux
        }
        List<Integer> added = new ArrayList<>(open());
        added.removeAll(before);
        if (added.size() <= tolerance) {
            return;
        }
        List<String> keys = added.stream().map(fd -> "fd " + fd + " -> " + target(fd)).toList();
        leaks.detectedAll(LeakKind.FILE_DESCRIPTOR, keys, "descriptor(s) opened after start-up still open at shutdown ("
                + added.size() + " above the baseline of " + before.size() + ", tolerance " + tolerance + "): "
                + keys.subList(0, Math.min(NAMED, keys.size())) + (keys.size() > NAMED ? " ..." : ""));
    }

    private static Set<Integer> open() {
        Set<Integer> fds = new TreeSet<>();
        try (Stream<Path> entries = Files.list(FDS)) {
            entries.forEach(entry -> fds.add(Integer.parseInt(entry.getFileName().toString())));
        } catch (IOException | NumberFormatException e) {
            log.debug("Cannot list {}: {}", FDS, e.toString());
        }
        return fds;
    }

    private static String target(int fd) {
        try {
            return Files.readSymbolicLink(FDS.resolve(Integer.toString(fd))).toString();
        } catch (IOException e) {
            return "(closed)";
        }
    }
}

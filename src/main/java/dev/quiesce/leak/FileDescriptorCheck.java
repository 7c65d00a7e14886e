package dev.quiesce.leak;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * At shutdown: the file descriptors open now that were not open when the service became ready — a descriptor
 * is its number and what it points at, since numbers are reused. Nothing can tie a descriptor to its opener, so
 * this is a comparison against a baseline: by the audit phase the web servers, the
 * child pipes and the connections they served are closed, so what remains above the baseline was opened and
 * never closed. Up to {@code tolerance} are forgiven (libraries open a few late); beyond that every one counts
 * as a {@code file_descriptor} leak and the log names what it points at. Linux only ({@code /proc/self/fd}).
 */
final class FileDescriptorCheck implements LeakCheck {

    private static final Logger log = LoggerFactory.getLogger(FileDescriptorCheck.class);
    private static final Path FDS = Path.of("/proc/self/fd");
    private static final int NAMED = 10;

    private final int tolerance;
    private volatile Map<Integer, String> baseline;

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
        Map<Integer, String> before = baseline;
        if (before == null || !Files.isDirectory(FDS)) {
            return; // never ready, or not Linux
        }
        List<String> keys = new ArrayList<>();
        open().forEach((fd, target) -> {
            if (!target.equals(before.get(fd))) {
                keys.add("fd " + fd + " -> " + target);
            }
        });
        if (keys.size() <= tolerance) {
            return;
        }
        leaks.detectedAll(LeakKind.FILE_DESCRIPTOR, keys, "descriptor(s) opened after start-up still open at shutdown ("
                + keys.size() + " not open at the baseline of " + before.size() + ", tolerance " + tolerance + "): "
                + keys.subList(0, Math.min(NAMED, keys.size())) + (keys.size() > NAMED ? " ..." : ""));
    }

    /** Open descriptors and what each points at; one closed while being listed is left out. */
    private static Map<Integer, String> open() {
        Map<Integer, String> fds = new TreeMap<>();
        try (Stream<Path> entries = Files.list(FDS)) {
            for (Path entry : entries.toList()) {
                int fd = Integer.parseInt(entry.getFileName().toString());
                String target = target(fd);
                if (target != null) {
                    fds.put(fd, target);
                }
            }
        } catch (IOException | NumberFormatException e) {
            log.debug("Cannot list {}: {}", FDS, e.toString());
        }
        return fds;
    }

    private static String target(int fd) {
        try {
            return Files.readSymbolicLink(FDS.resolve(Integer.toString(fd))).toString();
        } catch (IOException e) {
            return null; // closed since the listing
        }
    }
}

package dev.quiesce.dispatch;

import dev.quiesce.leak.LeakCheck;
import dev.quiesce.leak.LeakKind;
import dev.quiesce.leak.Leaks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The root of the jobs' scratch directories ({@code <data-dir>/scratch/job-<id>-attempt-<n>}). Each in-process
 * execution removes its own when it ends; what is still here at start-up was left by a previous run that died,
 * and what is still here at shutdown (phase {@code AUDIT}) by a job that never ended — both are removed and
 * counted as {@code scratch_dir} leaks.
 */
final class ScratchDirectories implements LeakCheck {

    private static final Logger log = LoggerFactory.getLogger(ScratchDirectories.class);

    private final Path root;

    ScratchDirectories(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /** At start-up: removes what a previous run left, counted as that run's leaks. */
    void clearPreviousRun(Leaks leaks) {
        List<Path> left = list();
        left.removeIf(dir -> !remove(dir));
        leaks.inherited(LeakKind.SCRATCH_DIR, left.size(), "scratch director(ies) of a previous run " + left + ", removed");
    }

    @Override
    public String name() {
        return "scratch directories";
    }

    @Override
    public void check(Leaks leaks) {
        for (Path dir : list()) {
            if (leaks.isOutstanding(LeakKind.SCRATCH_DIR, dir)) {
                continue; // counted when its job ended and could not remove it
            }
            if (remove(dir)) {
                leaks.reclaimed(LeakKind.SCRATCH_DIR, 1, "directory " + dir + " still there at shutdown, removed");
            } else {
                leaks.detected(LeakKind.SCRATCH_DIR, dir, "directory " + dir + " still there at shutdown and cannot be removed",
                        () -> Files.exists(dir));
            }
        }
    }

    private List<Path> list() {
        try (Stream<Path> dirs = Files.list(root)) {
            return new java.util.ArrayList<>(dirs.toList());
        } catch (NoSuchFileException e) {
            return new java.util.ArrayList<>();
        } catch (IOException e) {
            log.warn("Cannot list the scratch directories in {}: {}", root, e.toString());
            return new java.util.ArrayList<>();
        }
    }

    static boolean hasContent(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isPresent();
        } catch (IOException e) {
            return false; // gone, or unreadable: remove() says which
        }
    }

    /** Removes {@code dir} and everything in it; false (logged) if something is left. */
    static boolean remove(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
            return true;
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException | UncheckedIOException e) {
            log.warn("Could not remove the scratch directory {}: {}", dir, e.toString());
            return false;
        }
    }
}

package dev.quiesce.child;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The child's class path when the service runs from a Spring Boot fat jar, written into the data directory: a child
 * started through Boot's {@code PropertiesLauncher} pays ~350 ms for the launcher and its nested-jar class loading
 * (measured: 415 ms spawn → ready against 62 ms from a plain jar).
 * <ul>
 *   <li>The stock service's jar ({@code quiesce-exec.jar}): a plain jar of the child's classes alone — the
 *       {@code child.worker} and {@code api.child} packages, which import only the JDK, and the {@code ChildTask}
 *       service file. Plugins add their own jars.</li>
 *   <li>An application's fat jar with Quiesce as a library: its classes as a plain jar and its nested libraries as
 *       files (rewritten only when they changed), since its child tasks may need any of them.</li>
 * </ul>
 */
final class ChildJar {

    private static final String CLASSES = "BOOT-INF/classes/";
    private static final String LIB = "BOOT-INF/lib/";
    private static final String CHILD_MAIN = CLASSES + "dev/quiesce/child/worker/ChildMain.class";
    private static final String WORKER = CLASSES + "dev/quiesce/child/worker/";
    private static final String CHILD_API = CLASSES + "dev/quiesce/api/child/";
    private static final String SERVICES = CLASSES + "META-INF/services/dev.quiesce.api.child.";

    private ChildJar() {
    }

    /** Writes the child's class path under {@code <dataDirectory>/child/} and returns it. */
    static String extract(Path fatJar, Path dataDirectory) {
        try (JarFile source = new JarFile(fatJar.toFile())) {
            Path directory = Files.createDirectories(dataDirectory.resolve("child"));
            if (source.getEntry(CHILD_MAIN) != null) {
                return classesJar(source, directory.resolve("quiesce-child.jar"),
                        name -> name.startsWith(WORKER) || name.startsWith(CHILD_API) || name.startsWith(SERVICES)).toString();
            }
            List<String> classPath = new ArrayList<>();
            classPath.add(classesJar(source, directory.resolve("application.jar"), name -> true).toString());
            classPath.addAll(libraries(source, Files.createDirectories(directory.resolve("lib"))));
            return String.join(File.pathSeparator, classPath);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the child's class path into " + dataDirectory
                    + "; quiesce.data-dir must be writable", e);
        }
    }

    /** A plain jar of the fat jar's {@code BOOT-INF/classes} entries that {@code include} accepts, written atomically. */
    private static Path classesJar(JarFile source, Path target, Predicate<String> include) throws IOException {
        Path temporary = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(temporary))) {
            Enumeration<JarEntry> entries = source.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                String name = entry.getName();
                if (entry.isDirectory() || !name.startsWith(CLASSES) || !include.test(name)) {
                    continue;
                }
                out.putNextEntry(new JarEntry(name.substring(CLASSES.length())));
                try (InputStream in = source.getInputStream(entry)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    /** The nested libraries as files, named {@code <crc>-<name>} so that an unchanged one is not copied again. */
    private static List<String> libraries(JarFile source, Path directory) throws IOException {
        List<String> paths = new ArrayList<>();
        Set<Path> current = new HashSet<>();
        Enumeration<JarEntry> entries = source.entries();
        while (entries.hasMoreElements()) {
            JarEntry entry = entries.nextElement();
            String name = entry.getName();
            if (entry.isDirectory() || !name.startsWith(LIB) || !name.endsWith(".jar")) {
                continue;
            }
            Path target = directory.resolve(Long.toHexString(entry.getCrc()) + "-" + name.substring(LIB.length()));
            if (!Files.isRegularFile(target) || Files.size(target) != entry.getSize()) {
                Path temporary = Files.createTempFile(directory, "lib", ".tmp");
                try (InputStream in = source.getInputStream(entry)) {
                    Files.copy(in, temporary, StandardCopyOption.REPLACE_EXISTING);
                }
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            current.add(target);
            paths.add(target.toString());
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path stale : files.filter(file -> !current.contains(file)).toList()) {
                Files.deleteIfExists(stale);
            }
        }
        return paths;
    }
}

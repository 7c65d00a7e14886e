package dev.quiesce.child;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * A plain jar of the child's classes, written from the service's fat jar into the data directory. A child
 * started through Spring Boot's {@code PropertiesLauncher} pays ~350 ms for the launcher and its nested-jar
 * class loading (measured: 415 ms spawn → ready against 62 ms from a plain jar); the child needs none of the
 * service's libraries (the {@code child.worker} package imports only the JDK), so its classes and its
 * {@code ChildTask} service file are all it gets.
 */
final class ChildJar {

    private static final String CLASSES = "BOOT-INF/classes/";
    private static final String WORKER = CLASSES + "dev/quiesce/child/worker/";
    private static final String SERVICES = CLASSES + "META-INF/services/dev.quiesce.child.worker.";

    private ChildJar() {
    }

    /** Writes {@code <dataDirectory>/child/quiesce-child.jar} afresh (atomically) and returns its path. */
    static Path extract(Path fatJar, Path dataDirectory) {
        try {
            Path directory = Files.createDirectories(dataDirectory.resolve("child"));
            Path target = directory.resolve("quiesce-child.jar");
            Path temporary = Files.createTempFile(directory, "quiesce-child", ".jar.tmp");
            try (JarFile source = new JarFile(fatJar.toFile());
                 JarOutputStream out = new JarOutputStream(Files.newOutputStream(temporary))) {
                Enumeration<JarEntry> entries = source.entries();
                while (entries.hasMoreElements()) {
                    JarEntry entry = entries.nextElement();
                    String name = entry.getName();
                    if (entry.isDirectory() || !(name.startsWith(WORKER) || name.startsWith(SERVICES))) {
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
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the child jar into " + dataDirectory
                    + "; quiesce.data-dir must be writable", e);
        }
    }
}

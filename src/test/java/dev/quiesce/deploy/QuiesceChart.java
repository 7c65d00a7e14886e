package dev.quiesce.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The chart in {@code helm/quiesce}, driven through helm-java: the real Helm library (Go, loaded in-process),
 * so lint, schema validation and rendering are Helm's own, not an imitation.
 */
final class QuiesceChart {

    static final Path DIR = Path.of("helm", "quiesce");
    static final Path CI_VALUES = DIR.resolve("ci");
    static final String RELEASE = "demo";
    static final String FULLNAME = "demo-quiesce";
    static final String NAMESPACE = "work";
    /**
     * helm-java renders against Kubernetes 1.20 unless told otherwise (its Helm library is built without the
     * version the Helm CLI gets at build time), and the chart requires >= 1.25 (Chart.yaml kubeVersion).
     */
    static final String KUBE_VERSION = "1.34.0";

    private QuiesceChart() {
    }

    /** {@code helm template} with the chart's defaults, then these values files, then these --set values. */
    static Manifests render(Map<String, ?> set, Path... valuesFiles) {
        return render(DIR, set, valuesFiles);
    }

    static Manifests render(Path chart, Map<String, ?> set, Path... valuesFiles) {
        return Manifests.parse(template(chart, set, valuesFiles));
    }

    /** The raw output; Helm's error (schema, template fail) comes out as an IllegalStateException. */
    static String template(Path chart, Map<String, ?> set, Path... valuesFiles) {
        TemplateCommand template = new Helm(chart).template()
                .withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION);
        for (Path file : valuesFiles) {
            template.withValuesFile(file);
        }
        set.forEach(template::set);
        return template.call();
    }

    /**
     * The install notes (templates/NOTES.txt) as {@code helm install} prints them: a client-only dry run, so no
     * cluster is needed; {@code helm template} leaves the notes out.
     */
    static String notes(Map<String, ?> set, Path... valuesFiles) {
        InstallCommand install = new Helm(DIR).install().clientOnly().dryRun()
                .withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION);
        for (Path file : valuesFiles) {
            install.withValuesFile(file);
        }
        set.forEach(install::set);
        return install.call().getOutput();
    }

    /**
     * {@code helm lint --strict}. helm-java's lint takes no values files, so a ci/ file is linted on a copy of the
     * chart (under {@code workDir}) whose values.yaml is the defaults with that file merged over them, as Helm
     * merges {@code -f}: maps deeply, anything else replaced, null removes the key.
     */
    static LintResult lint(Path workDir, Path... valuesFiles) {
        Path chart = valuesFiles.length == 0 ? DIR : copyWithValues(workDir, valuesFiles);
        return new Helm(chart).lint().strict().call();
    }

    /** A copy of the chart under {@code workDir}, its values.yaml replaced by the defaults merged with the files. */
    static Path copyWithValues(Path workDir, Path... valuesFiles) {
        Map<String, Object> values = load(DIR.resolve("values.yaml"));
        for (Path file : valuesFiles) {
            values = merge(values, load(file));
        }
        Path chart = copy(workDir);
        write(chart.resolve("values.yaml"), new Yaml().dump(values));
        return chart;
    }

    /** A copy of the chart under {@code workDir} (in a directory named like the chart, as Helm expects). */
    static Path copy(Path workDir) {
        Path target = workDir.resolve("quiesce");
        try (Stream<Path> files = Files.walk(DIR)) {
            for (Path source : files.toList()) {
                Path copy = target.resolve(DIR.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(source, copy);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    static List<Path> ciValuesFiles() {
        try (Stream<Path> files = Files.list(CI_VALUES)) {
            return files.filter(f -> f.getFileName().toString().endsWith("-values.yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> load(Path yaml) {
        try {
            Map<String, Object> loaded = new Yaml().load(Files.readString(yaml));
            return loaded == null ? new LinkedHashMap<>() : loaded;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> override) {
        Map<String, Object> merged = new LinkedHashMap<>(base);
        override.forEach((key, value) -> {
            if (value == null) {
                merged.remove(key);
            } else if (value instanceof Map<?, ?> map && merged.get(key) instanceof Map<?, ?> baseMap) {
                merged.put(key, merge((Map<String, Object>) baseMap, (Map<String, Object>) map));
            } else {
                merged.put(key, value);
            }
        });
        return merged;
    }

    private static void write(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

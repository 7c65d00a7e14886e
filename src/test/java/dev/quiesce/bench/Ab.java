package dev.quiesce.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** ApacheBench ({@code ab}, Debian package apache2-utils) as the load generator for single POSTs, when installed. */
final class Ab {

    private static final Pattern TAKEN = Pattern.compile("Time taken for tests:\\s+([0-9.]+) seconds");
    private static final Pattern COMPLETE = Pattern.compile("Complete requests:\\s+(\\d+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx responses:\\s+(\\d+)");

    private Ab() {
    }

    /** {@code ab} on the PATH, or null. */
    static Path find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "ab");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * {@code count} POSTs of {@code body} from {@code clients} concurrent keep-alive connections. Fails unless every
     * request completed with a 2xx (ab counts responses of another length as "failed"; the ids make lengths differ, so
     * that count is ignored: the caller counts the stored jobs).
     */
    static EnqueueBenchmarks.Singles run(Path ab, URI uri, String body, int clients, int count, Path prefix) {
        try {
            Path bodyFile = Path.of(prefix + ".json");
            Path percentiles = Path.of(prefix + ".csv");
            Path output = Path.of(prefix + ".ab.txt");
            Files.writeString(bodyFile, body);
            Process process = new ProcessBuilder(List.of(ab.toString(), "-q", "-k", "-c", String.valueOf(clients), "-n",
                    String.valueOf(count), "-s", "60", "-p", bodyFile.toString(), "-T", "application/json", "-e",
                    percentiles.toString(), uri.toString()))
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new BenchFailure("ab did not finish in 10 minutes; output in " + output);
            }
            String text = Files.readString(output);
            if (process.exitValue() != 0) {
                throw new BenchFailure("ab exited with " + process.exitValue() + ": " + text);
            }
            long complete = Long.parseLong(find(COMPLETE, text, output));
            Matcher non2xx = NON_2XX.matcher(text);
            if (complete != count || non2xx.find()) {
                throw new BenchFailure("ab: " + complete + " of " + count + " requests complete" + (non2xx.find(0)
                        ? ", " + non2xx.group(1) + " answered other than 2xx" : "") + "; output in " + output);
            }
            double seconds = Double.parseDouble(find(TAKEN, text, output));
            // The CSV: "Percentage served,Time in ms", rows 0 to 100.
            double[] millisAt = new double[101];
            for (String line : Files.readAllLines(percentiles)) {
                String[] cells = line.split(",");
                if (cells.length == 2 && cells[0].matches("\\d+")) {
                    millisAt[Integer.parseInt(cells[0])] = Double.parseDouble(cells[1]);
                }
            }
            return new EnqueueBenchmarks.Singles(seconds, millisAt[50], millisAt[99], millisAt[100],
                    String.format(Locale.ROOT, "ab -k -c %d (ApacheBench, keep-alive)", clients));
        } catch (IOException e) {
            throw new BenchFailure("could not run ab: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailure("interrupted while ab ran", e);
        }
    }

    private static String find(Pattern pattern, String text, Path output) {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            throw new BenchFailure("ab's output has no '" + pattern.pattern() + "'; output in " + output);
        }
        return matcher.group(1);
    }
}

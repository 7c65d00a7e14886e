package dev.quiesce.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One run of the db-scheduler peer ({@code dev.quiesce.bench.peer.DbSchedulerPeer}, src/bench/java, compiled only in
 * the Maven profile {@code bench}) as its own JVM: {@code java <service JVM options> -cp <this JVM's class path>},
 * output to {@code log}. Returns the values of the line it prints ({@code DBSCHEDULER-PEER key=value ...}).
 */
final class DbSchedulerPeerRun {

    static final String MAIN = "dev.quiesce.bench.peer.DbSchedulerPeer";
    static final String PREFIX = "DBSCHEDULER-PEER ";
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    private DbSchedulerPeerRun() {
    }

    /** What the peer printed; {@link #ok} only when every instance ran exactly once and the table was left empty. */
    record Result(Map<String, String> values) {

        boolean ok() {
            return "true".equals(values.get("ok"));
        }

        boolean enqueuedFirst() {
            return !"false".equals(values.get("enqueued_first"));
        }

        double number(String key) {
            String value = values.get(key);
            return value == null ? Double.NaN : Double.parseDouble(value);
        }
    }

    static Result run(List<String> jvmOptions, String url, String user, String password, int threads, int jobs, double lead,
                      double cap, long pollMillis, Path log) {
        List<String> command = new ArrayList<>(List.of(JAVA.toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN, "--url=" + url, "--user=" + user,
                "--password=" + password, "--threads=" + threads, "--jobs=" + jobs, "--lead=" + lead, "--cap=" + cap,
                "--poll-ms=" + pollMillis));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new BenchFailure("could not launch the db-scheduler peer: " + e.getMessage(), e);
        }
        try {
            if (!process.waitFor((long) (lead + cap) + 120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new BenchFailure("the db-scheduler peer did not exit within " + ((long) (lead + cap) + 120) + " s; log " + log);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new BenchFailure("interrupted while the db-scheduler peer ran", e);
        }
        String output;
        try {
            output = Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BenchFailure("cannot read the peer's log " + log + ": " + e.getMessage(), e);
        }
        if (output.contains("ClassNotFoundException: " + MAIN) || output.contains("Could not find or load main class " + MAIN)) {
            throw new BenchFailure("the db-scheduler peer is not on the class path: run the harness through bench/run (Maven profile bench)"
                    + ", or pass --no-peer");
        }
        String line = output.lines().filter(l -> l.startsWith(PREFIX)).reduce((a, b) -> b)
                .orElseThrow(() -> new BenchFailure("the db-scheduler peer printed no result line (exit " + process.exitValue() + "); log " + log));
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : line.substring(PREFIX.length()).trim().split("\\s+")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return new Result(values);
    }
}

package dev.quiesce.shutdown;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A {@link ShutdownReport} in words: the headline that starts the log line and the termination message
 * ({@code clean: nothing lost, nothing leaked}), the one-line log form, and the short termination message
 * (at most {@value #MAX_MESSAGE_BYTES} bytes, what Kubernetes keeps and {@code kubectl describe pod} shows).
 */
final class ShutdownReportText {

    static final int MAX_MESSAGE_BYTES = 4096;

    private ShutdownReportText() {
    }

    /** {@code clean: nothing lost, nothing leaked}, {@code leaky: 3 leaked (thread 1, scratch_dir 2)}, {@code overran: ...}. */
    static String headline(ShutdownReport report) {
        return switch (report.outcome()) {
            case CLEAN -> "clean: nothing lost, nothing leaked";
            case LEAKY -> "leaky: " + report.leakCount() + " leaked (" + counts(report.leaks()) + ")"
                    + (report.outstanding().values().stream().anyMatch(n -> n > 0) ? ", still outstanding: " + counts(report.outstanding()) : "");
            case OVERRAN -> "overran: " + overrun(report);
        };
    }

    /** The log line (after {@code "Shutdown "}): the headline, then every figure of the report. */
    static String logLine(ShutdownReport report) {
        return headline(report) + " -- " + took(report) + "; jobs " + jobs(report.jobs()) + "; children " + children(report.children())
                + "; leaks " + counts(report.leaks()) + "; outstanding " + counts(report.outstanding())
                + "; inherited from a previous run " + counts(report.inherited())
                + "; instance " + report.instanceName() + " (" + report.instanceId() + ")";
    }

    /** The termination message: the headline first, then one figure a line; cut to {@value #MAX_MESSAGE_BYTES} bytes. */
    static String terminationMessage(ShutdownReport report) {
        String text = headline(report) + "\n"
                + "took: " + took(report) + "\n"
                + "jobs: " + jobs(report.jobs()) + "\n"
                + "children: " + children(report.children()) + "\n"
                + "leaks: " + counts(report.leaks()) + "\n"
                + "outstanding: " + counts(report.outstanding()) + "\n"
                + "inherited: " + counts(report.inherited()) + "\n"
                + "instance: " + report.instanceName() + " (" + report.instanceId() + ")\n";
        return truncate(text, MAX_MESSAGE_BYTES);
    }

    private static String overrun(ShutdownReport report) {
        StringBuilder why = new StringBuilder();
        if (report.took().compareTo(report.budget()) > 0) {
            why.append("took ").append(seconds(report.took())).append(" of a ").append(seconds(report.budget())).append(" budget");
        }
        if (report.jobs().unreleased() > 0) {
            why.append(why.isEmpty() ? "" : ", ").append(report.jobs().unreleased())
                    .append(" job(s) not handed back (they return when their lease expires)");
        }
        if (report.jobs().unwritten() > 0) {
            why.append(why.isEmpty() ? "" : ", ").append(report.jobs().unwritten())
                    .append(" finished job(s) whose outcome could not be written (they run again when their lease expires)");
        }
        if (report.leakCount() > 0) {
            why.append("; ").append(report.leakCount()).append(" leaked (").append(counts(report.leaks())).append(")");
        }
        return why.toString();
    }

    private static String took(ShutdownReport report) {
        return seconds(report.took()) + " of " + seconds(report.budget()) + " (" + report.phases().entrySet().stream()
                .map(phase -> phase.getKey() + " " + seconds(phase.getValue())).collect(Collectors.joining(", ")) + ")";
    }

    private static String jobs(ShutdownReport.Jobs jobs) {
        return "drained " + jobs.drained() + ", cancelled " + jobs.cancelled() + ", released " + jobs.released()
                + ", abandoned " + jobs.abandoned() + ", not released " + jobs.unreleased()
                + (jobs.unwritten() > 0 ? ", outcomes not written " + jobs.unwritten() : "");
    }

    private static String children(ShutdownReport.Children children) {
        return "graceful " + children.graceful() + ", terminated " + children.terminated() + ", killed " + children.killed();
    }

    /** The non-zero counts as {@code kind n, kind n}, or {@code none}. */
    static String counts(Map<String, Long> counts) {
        String text = counts.entrySet().stream().filter(count -> count.getValue() > 0)
                .map(count -> count.getKey() + " " + count.getValue()).collect(Collectors.joining(", "));
        return text.isEmpty() ? "none" : text;
    }

    static String seconds(Duration duration) {
        return String.format(java.util.Locale.ROOT, "%.3fs", duration.toNanos() / 1e9);
    }

    private static String truncate(String text, int maxBytes) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            return text;
        }
        String marker = "...\n";
        int end = maxBytes - marker.length();
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--; // never cut a character in two
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8) + marker;
    }
}

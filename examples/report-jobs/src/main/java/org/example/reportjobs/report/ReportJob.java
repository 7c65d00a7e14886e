package org.example.reportjobs.report;

import dev.quiesce.api.JobContext;
import dev.quiesce.api.JobHandler;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Renders a CSV report, one section at a time, in the service's own JVM. It shows what a handler owes the service:
 * it reports progress after each section, stops when asked (a client's cancel, a shutdown's drain deadline: the
 * {@link JobContext#throwIfCancelled()} check between sections, and the interruptible sleep within one), and writes
 * only into its scratch directory, which it empties itself. Its result is the report's size and SHA-256: a real
 * job would upload the file first.
 */
public class ReportJob implements JobHandler<ReportRequest> {

    @Override
    public String type() {
        return "report";
    }

    @Override
    public String description() {
        return "Renders a CSV report of the given sections; the result is its size and SHA-256.";
    }

    /** What the annotations cannot say: headings must differ, or the report cannot be read back by section. */
    @Override
    public void validate(ReportRequest payload) {
        long distinct = payload.sections().stream().map(ReportRequest.Section::heading).distinct().count();
        if (distinct != payload.sections().size()) {
            throw new IllegalArgumentException("every section heading must be different");
        }
    }

    @Override
    public String run(ReportRequest payload, JobContext context) throws Exception {
        Path file = context.scratchDir().resolve("report.csv");
        try {
            int rows = 0;
            try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                out.write("section,row,value\n");
                for (int i = 0; i < payload.sections().size(); i++) {
                    context.throwIfCancelled();
                    ReportRequest.Section section = payload.sections().get(i);
                    rows += writeSection(out, section);
                    if (payload.pauseMs() > 0) {
                        Thread.sleep(payload.pauseMs()); // ends with InterruptedException when the job is cancelled
                    }
                    context.progress((i + 1.0) / payload.sections().size());
                }
            }
            return "report '" + payload.title() + "': " + payload.sections().size() + " section(s), " + rows + " row(s), "
                    + Files.size(file) + " bytes, sha256 " + sha256(file);
        } finally {
            // The service would remove a file left here too, but count it as a leak: clean up after yourself.
            Files.deleteIfExists(file);
        }
    }

    private static int writeSection(BufferedWriter out, ReportRequest.Section section) throws IOException {
        String heading = '"' + section.heading().replace("\"", "\"\"") + '"';
        for (int row = 1; row <= section.rows(); row++) {
            out.write(heading + "," + row + "," + (row * 37 % 101) + "\n");
        }
        return section.rows();
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}

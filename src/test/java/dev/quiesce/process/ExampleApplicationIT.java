package dev.quiesce.process;

import dev.quiesce.testing.JobsDb.JobRow;
import dev.quiesce.testing.ProcScan.Proc;
import dev.quiesce.testing.QuiesceProcess;
import dev.quiesce.testing.QuiesceProcesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example project ({@code examples/report-jobs}) as an application with Quiesce as a library: its own Spring Boot
 * fat jar, {@code java -jar report-jobs-1.0.0-app.jar}, whose child JVMs get the application's classes and nested
 * libraries (commonmark). The same jobs run, the same payloads are refused, and a SIGTERM while they run loses none of
 * them and leaves no process behind (DESIGN §1, §10).
 */
class ExampleApplicationIT {

    @RegisterExtension
    final ProcessSweep sweep = new ProcessSweep();
    @RegisterExtension
    final QuiesceProcesses quiesce = new QuiesceProcesses();

    @Test
    void theExampleApplicationRunsItsJobsAndASigtermedOneHandsThemBackCleanly() {
        ExampleProject example = ExampleProject.built();

        QuiesceProcess application = quiesce.watch(QuiesceProcess.launch(example.applicationJar(), quiesce.dataDir(),
                quiesce.file("application.log"), List.of("-Xmx384m"), ExampleJobs.OPTIONS));
        application.awaitReady(QuiesceProcesses.START_BOUND);
        Proc applicationProc = sweep.watchService(application.pid());
        assertThat(application.log().text()).as("log").contains("Started ReportJobsApplication");
        List<Long> accepted = new ArrayList<>(ExampleJobs.bothTypesRunAndBadPayloadsAreRefused(application.api()));
        accepted.addAll(ExampleJobs.enqueueSlowJobs(application.api()));

        List<JobRow> rows = ExampleJobs.aSigtermWhileTheyRunHandsThemBackCleanly(application, applicationProc,
                quiesce.dataDir(), accepted.size());
        assertThat(rows).extracting(JobRow::id).containsExactlyInAnyOrderElementsOf(accepted);
    }
}

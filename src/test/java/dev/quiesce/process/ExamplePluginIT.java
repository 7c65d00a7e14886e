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
 * The example project ({@code examples/report-jobs}) as plugins of the stock service, as its README tells a user:
 * the plain jar and its library (commonmark) in {@code quiesce.plugins.dir}, the stock {@code quiesce-exec.jar}
 * unchanged. Its in-process and child-JVM jobs run, their payloads are checked at enqueue time, and a SIGTERM while
 * they run loses none of them and leaves no process behind (DESIGN §1, §10).
 */
class ExamplePluginIT {

    @RegisterExtension
    final ProcessSweep sweep = new ProcessSweep();
    @RegisterExtension
    final QuiesceProcesses quiesce = new QuiesceProcesses();

    @Test
    void theExampleJobsRunAsPluginsAndASigtermedServiceHandsThemBackForTheRestartToFinish() {
        ExampleProject example = ExampleProject.built();
        List<String> options = new ArrayList<>(ExampleJobs.OPTIONS);
        options.add("--quiesce.plugins.dir=" + example.pluginsDir());
        String[] arguments = options.toArray(String[]::new);

        QuiesceProcess service = quiesce.start(arguments);
        Proc serviceProc = sweep.watchService(service.pid());
        assertThat(service.log().text()).as("log").contains("Plugins: 2 jar(s) from " + example.pluginsDir());
        List<Long> accepted = new ArrayList<>(ExampleJobs.bothTypesRunAndBadPayloadsAreRefused(service.api()));
        accepted.addAll(ExampleJobs.enqueueSlowJobs(service.api()));

        List<JobRow> rows = ExampleJobs.aSigtermWhileTheyRunHandsThemBackCleanly(service, serviceProc, quiesce.dataDir(),
                accepted.size());
        assertThat(rows).extracting(JobRow::id).containsExactlyInAnyOrderElementsOf(accepted);

        QuiesceProcess restarted = quiesce.start(arguments);
        sweep.watchService(restarted.pid());
        ExampleJobs.aRestartFinishesEveryJob(restarted, accepted.size());
    }
}

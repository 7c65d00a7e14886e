package dev.quiesce.shutdown;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ShutdownReportTextTest {

    private static final Duration BUDGET = Duration.ofSeconds(30);
    private static final ShutdownReport.Jobs DRAINED = new ShutdownReport.Jobs(4, 0, 0, 0, 0);

    @Test
    void aShutdownInsideTheBudgetWithNothingLeakedIsCleanAndSaysSo() {
        ShutdownReport report = report(Duration.ofMillis(1234), DRAINED, none(), none(), Map.of("previous_run_process", 2L));

        assertThat(report.outcome()).isEqualTo(ShutdownOutcome.CLEAN);
        assertThat(ShutdownReportText.headline(report)).isEqualTo("clean: nothing lost, nothing leaked");
        assertThat(ShutdownReportText.logLine(report))
                .startsWith("clean: nothing lost, nothing leaked -- 1.234s of 30.000s (dispatch 1.000s, audit 0.234s)")
                .contains("jobs drained 4, cancelled 0, released 0, abandoned 0, not released 0")
                .contains("children graceful 2, terminated 0, killed 0")
                .contains("leaks none")
                .contains("inherited from a previous run previous_run_process 2");
    }

    @Test
    void anyLeakMakesItLeakyAndTheHeadlineCountsThemByKind() {
        ShutdownReport report = report(Duration.ofSeconds(2), DRAINED, leaks("thread", 1L, "scratch_dir", 2L), leaks("thread", 1L), none());

        assertThat(report.outcome()).isEqualTo(ShutdownOutcome.LEAKY);
        assertThat(ShutdownReportText.headline(report)).isEqualTo("leaky: 3 leaked (thread 1, scratch_dir 2), still outstanding: thread 1");
    }

    @Test
    void somethingStillOutstandingMakesItLeakyEvenIfAPreviousRunLeftIt() {
        ShutdownReport report = report(Duration.ofSeconds(2), DRAINED, none(), leaks("previous_run_process", 1L),
                Map.of("previous_run_process", 1L));

        assertThat(report.outcome()).isEqualTo(ShutdownOutcome.LEAKY);
    }

    @Test
    void runningPastTheBudgetOrLeavingJobsUnreleasedIsAnOverrun() {
        ShutdownReport late = report(Duration.ofSeconds(31), DRAINED, none(), none(), none());
        ShutdownReport unreleased = report(Duration.ofSeconds(3), new ShutdownReport.Jobs(0, 2, 0, 2, 2), leaks("job_lease", 2L), none(), none());

        assertThat(late.outcome()).isEqualTo(ShutdownOutcome.OVERRAN);
        assertThat(ShutdownReportText.headline(late)).isEqualTo("overran: took 31.000s of a 30.000s budget");
        assertThat(unreleased.outcome()).isEqualTo(ShutdownOutcome.OVERRAN);
        assertThat(ShutdownReportText.headline(unreleased))
                .isEqualTo("overran: 2 job(s) not handed back (they return when their lease expires); 2 leaked (job_lease 2)");
    }

    @Test
    void finishedJobsWhoseOutcomeCouldNotBeWrittenMakeItAnOverrunAndAreNamed() {
        ShutdownReport report = report(Duration.ofSeconds(19), new ShutdownReport.Jobs(0, 0, 0, 0, 0, 4), none(), none(), none());

        assertThat(report.outcome()).isEqualTo(ShutdownOutcome.OVERRAN);
        assertThat(ShutdownReportText.headline(report)).isEqualTo(
                "overran: 4 finished job(s) whose outcome could not be written (they run again when their lease expires)");
        assertThat(ShutdownReportText.terminationMessage(report).lines().toList())
                .contains("jobs: drained 0, cancelled 0, released 0, abandoned 0, not released 0, outcomes not written 4");
    }

    @Test
    void theTerminationMessageStartsWithTheHeadlineAndHasOneFigureALine() {
        ShutdownReport report = report(Duration.ofMillis(1234), DRAINED, none(), none(), none());

        assertThat(ShutdownReportText.terminationMessage(report).lines().toList()).containsExactly(
                "clean: nothing lost, nothing leaked",
                "took: 1.234s of 30.000s (dispatch 1.000s, audit 0.234s)",
                "jobs: drained 4, cancelled 0, released 0, abandoned 0, not released 0",
                "children: graceful 2, terminated 0, killed 0",
                "leaks: none",
                "outstanding: none",
                "inherited: none",
                "instance: pod-1 (pod-1-77-abc)");
    }

    @Test
    void theTerminationMessageNeverExceedsWhatKubernetesKeeps() {
        ShutdownReport report = new ShutdownReport("id", "ż".repeat(5000), Instant.now(), BUDGET, Duration.ofSeconds(1), Map.of(),
                DRAINED, ShutdownReport.Children.NONE, none(), none(), none(), ShutdownOutcome.CLEAN);

        String message = ShutdownReportText.terminationMessage(report);

        assertThat(message.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(ShutdownReportText.MAX_MESSAGE_BYTES);
        assertThat(message).startsWith("clean: nothing lost, nothing leaked\n").endsWith("...\n").doesNotContain("\uFFFD");
    }

    private static ShutdownReport report(Duration took, ShutdownReport.Jobs jobs, Map<String, Long> leaks, Map<String, Long> outstanding,
                                         Map<String, Long> inherited) {
        Map<String, Duration> phases = new LinkedHashMap<>();
        phases.put("dispatch", Duration.ofSeconds(1));
        phases.put("audit", took.minusSeconds(1).isNegative() ? Duration.ZERO : took.minusSeconds(1));
        return new ShutdownReport("pod-1-77-abc", "pod-1", Instant.parse("2026-12-01T12:00:00Z"), BUDGET, took, phases, jobs,
                new ShutdownReport.Children(2, 0, 0), leaks, outstanding, inherited,
                ShutdownReport.outcomeOf(BUDGET, took, jobs, leaks, outstanding));
    }

    private static Map<String, Long> none() {
        return Map.of("thread", 0L, "scratch_dir", 0L);
    }

    private static Map<String, Long> leaks(Object... kindsAndCounts) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (int i = 0; i < kindsAndCounts.length; i += 2) {
            counts.put((String) kindsAndCounts[i], (Long) kindsAndCounts[i + 1]);
        }
        return counts;
    }
}

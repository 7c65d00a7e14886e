package dev.quiesce.shutdown;

import dev.quiesce.testing.MigratedDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code shutdown_reports} table through {@link JdbcShutdownReports}, run unchanged against every supported
 * database by one tiny subclass each. No Spring context: the class is built by hand on a migrated database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ShutdownReportsContract {

    static final Instant T0 = Instant.parse("2030-01-02T03:04:05.123456789Z");

    MigratedDatabase database;
    JdbcClient sql;
    JdbcShutdownReports reports;

    abstract MigratedDatabase openDatabase();

    @BeforeAll
    void open() {
        database = openDatabase();
        sql = JdbcClient.create(database.dataSource());
        reports = new JdbcShutdownReports(database.dataSource(), JsonMapper.builder().build());
    }

    @AfterAll
    void close() {
        if (database != null) {
            database.close();
        }
    }

    @BeforeEach
    void emptyTable() {
        sql.sql("DELETE FROM shutdown_reports").update();
    }

    @Test
    void aSavedReportReadsBackExactlyDownToTheNanosecond() {
        ShutdownReport saved = report("pod-a", T0, Duration.ofNanos(3_456_789_123L), ShutdownOutcome.LEAKY);

        reports.save(saved);

        assertThat(reports.latest(10)).containsExactly(saved);
        ShutdownReport read = reports.latest(1).getFirst();
        assertThat(read.phases().keySet()).as("phases keep their order").containsExactly("dispatch", "web_server", "children", "audit");
        assertThat(read.leaks().keySet()).as("leak kinds keep their order").containsExactlyElementsOf(saved.leaks().keySet());
    }

    @Test
    void aDurationWithMoreDigitsThanADoubleHoldsRoundTripsExactly() {
        // 86400000000.000001 ms: read through a double, the last nanosecond would be lost.
        ShutdownReport saved = report("pod-a", T0, Duration.ofDays(1000).plusNanos(1), ShutdownOutcome.OVERRAN);

        reports.save(saved);

        assertThat(reports.latest(1)).containsExactly(saved);
    }

    @Test
    void theJsonHoldsDurationsAsMillisecondNumbersAndInstantsAsIsoStrings() {
        reports.save(report("pod-a", T0, Duration.ofNanos(3_456_789_123L), ShutdownOutcome.CLEAN));

        JsonNode json = JsonMapper.builder().build().readTree(sql.sql("SELECT report FROM shutdown_reports").query(String.class).single());

        assertThat(json.get("startedAt").isString()).isTrue();
        assertThat(json.get("startedAt").asString()).isEqualTo("2030-01-02T03:04:05.123456789Z");
        assertThat(json.get("tookMs").isNumber()).isTrue();
        assertThat(json.get("tookMs").toString()).isEqualTo("3456.789123");
        assertThat(json.get("budgetMs").toString()).as("a whole number of ms is written as an integer").isEqualTo("28000");
        assertThat(json.get("phasesMs").get("dispatch").toString()).isEqualTo("1500");
        assertThat(json.get("outcome").asString()).isEqualTo("clean");
    }

    @Test
    void theColumnsCopyTheReportsOutcomeTimesAndDuration() {
        // Microseconds: the columns' precision (the JSON keeps nanoseconds).
        Instant startedAtMicros = Instant.parse("2030-01-02T03:04:05.123456Z");
        reports.save(report("pod-a", startedAtMicros, Duration.ofMillis(2500), ShutdownOutcome.OVERRAN));

        Map<String, Object> row = sql.sql("SELECT instance_id, instance_name, outcome, took_ms FROM shutdown_reports")
                .query().singleRow();
        OffsetDateTime startedAt = sql.sql("SELECT started_at FROM shutdown_reports").query(OffsetDateTime.class).single();
        OffsetDateTime finishedAt = sql.sql("SELECT finished_at FROM shutdown_reports").query(OffsetDateTime.class).single();

        assertThat(row).containsEntry("instance_id", "pod-a-1").containsEntry("instance_name", "pod-a")
                .containsEntry("outcome", "overran");
        assertThat(((Number) row.get("took_ms")).longValue()).isEqualTo(2500);
        assertThat(startedAt.toInstant()).isEqualTo(startedAtMicros);
        assertThat(finishedAt.toInstant()).isEqualTo(Instant.parse("2030-01-02T03:04:07.623456Z"));
    }

    @Test
    void latestIsNewestFirstAndHonoursTheLimit() {
        reports.save(report("pod-a", T0, Duration.ofSeconds(1), ShutdownOutcome.CLEAN));
        reports.save(report("pod-c", T0.plusSeconds(120), Duration.ofSeconds(1), ShutdownOutcome.CLEAN));
        reports.save(report("pod-b", T0.plusSeconds(60), Duration.ofSeconds(1), ShutdownOutcome.LEAKY));

        assertThat(reports.latest(10)).extracting(ShutdownReport::instanceName).containsExactly("pod-c", "pod-b", "pod-a");
        assertThat(reports.latest(2)).extracting(ShutdownReport::instanceName).containsExactly("pod-c", "pod-b");
    }

    @Test
    void aRowWhoseReportCannotBeReadIsLeftOutAndTheOthersAreStillRead() {
        reports.save(report("pod-a", T0, Duration.ofSeconds(1), ShutdownOutcome.CLEAN));
        sql.sql("""
                        INSERT INTO shutdown_reports (instance_id, instance_name, outcome, started_at, finished_at, took_ms, report)
                        VALUES ('i', 'n', 'clean', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 0, 'not json')""").update();

        assertThat(reports.latest(10)).extracting(ShutdownReport::instanceName).containsExactly("pod-a");
    }

    @Test
    void anEmptyTableHasNoReportsAndEveryOutcomeCountsZero() {
        assertThat(reports.latest(10)).isEmpty();
        assertThat(reports.countByOutcome()).containsExactlyInAnyOrderEntriesOf(Map.of(
                ShutdownOutcome.CLEAN, 0L, ShutdownOutcome.LEAKY, 0L, ShutdownOutcome.OVERRAN, 0L));
    }

    @Test
    void reportsAreCountedByOutcomeEveryOutcomePresent() {
        for (int i = 0; i < 3; i++) {
            reports.save(report("pod-" + i, T0.plusSeconds(i), Duration.ofSeconds(1), ShutdownOutcome.CLEAN));
        }
        reports.save(report("pod-x", T0, Duration.ofSeconds(1), ShutdownOutcome.LEAKY));

        assertThat(reports.countByOutcome()).containsExactlyInAnyOrderEntriesOf(Map.of(
                ShutdownOutcome.CLEAN, 3L, ShutdownOutcome.LEAKY, 1L, ShutdownOutcome.OVERRAN, 0L));
    }

    @Test
    void theTableRefusesAnOutcomeThatIsNotCleanLeakyOrOverran() {
        assertThatThrownBy(() -> sql.sql("""
                        INSERT INTO shutdown_reports (instance_id, instance_name, outcome, started_at, finished_at, took_ms, report)
                        VALUES ('i', 'n', 'fine', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 0, '{}')""").update())
                .isInstanceOf(DataIntegrityViolationException.class);
    }

    static ShutdownReport report(String name, Instant startedAt, Duration took, ShutdownOutcome outcome) {
        Map<String, Duration> phases = new LinkedHashMap<>();
        phases.put("dispatch", Duration.ofMillis(1500));
        phases.put("web_server", Duration.ofNanos(12_345_678));
        phases.put("children", Duration.ofNanos(987_654_321));
        phases.put("audit", Duration.ofNanos(1));
        Map<String, Long> leaks = new LinkedHashMap<>();
        Map<String, Long> outstanding = new LinkedHashMap<>();
        Map<String, Long> inherited = new LinkedHashMap<>();
        List<String> kinds = List.of("child_process", "descendant_process", "zombie", "thread", "scratch_dir",
                "file_descriptor", "job_lease", "previous_run_process");
        for (int i = 0; i < kinds.size(); i++) {
            leaks.put(kinds.get(i), outcome == ShutdownOutcome.LEAKY ? (long) i : 0L);
            outstanding.put(kinds.get(i), outcome == ShutdownOutcome.LEAKY && i == 3 ? 1L : 0L);
            inherited.put(kinds.get(i), i == 7 ? 2L : 0L);
        }
        return new ShutdownReport(name + "-1", name, startedAt, Duration.ofSeconds(28), took, phases,
                new ShutdownReport.Jobs(4, 3, 2, 1, outcome == ShutdownOutcome.OVERRAN ? 1 : 0),
                new ShutdownReport.Children(2, 1, 0), leaks, outstanding, inherited, outcome);
    }
}

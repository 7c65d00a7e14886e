package dev.quiesce.console;

import dev.quiesce.queue.Fleet;
import dev.quiesce.status.QuiesceStatus;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class InstanceRowTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration STALE_AFTER = Duration.ofSeconds(6);
    private static final Instant STARTED = Instant.parse("2026-12-06T21:00:00Z");

    @Test
    void aRowShowsTheChildrenPoolAndOnlyTheLeakKindsThatHappenedFromThePublishedStatus() {
        QuiesceStatus status = new QuiesceStatus(new QuiesceStatus.Instance("i-1", "pod-0", "host", 42), "RUNNING",
                new QuiesceStatus.InFlight(1, Map.of("thread", 1, "child", 0), List.of()),
                List.of(new QuiesceStatus.Child(1, 4321, "busy", 17, 80L * 1024 * 1024 + 300_000, BigDecimal.ONE, STARTED.toString())),
                new QuiesceStatus.Pool(true, 4),
                new QuiesceStatus.Leaks(Map.of("thread", 0L, "zombie", 2L), Map.of("zombie", 2L)), List.of(), null);

        InstanceRow row = InstanceRow.of(instance("RUNNING", Duration.ofMillis(400), JSON.writeValueAsString(status)), JSON, STALE_AFTER);

        assertThat(row.live()).isTrue();
        assertThat(row.silent()).isFalse();
        assertThat(row.children()).containsExactly(new InstanceRow.ChildRow(4321, "busy", 17, 80L));
        assertThat(row.degraded()).isTrue();
        assertThat(row.leaks()).containsExactly(Map.entry("zombie", 2L));
        assertThat(row.statusNote()).isNull();
        assertThat(row.heartbeatAge()).isEqualTo("400 ms");
    }

    @Test
    void anInstanceThatHasNotPublishedOrPublishedSomethingElseStillGetsItsRow() {
        InstanceRow unpublished = InstanceRow.of(instance("QUIET", Duration.ofSeconds(1), null), JSON, STALE_AFTER);
        InstanceRow unreadable = InstanceRow.of(instance("RUNNING", Duration.ofSeconds(1), "{\"children\": 3"), JSON, STALE_AFTER);

        assertThat(unpublished.statusNote()).isEqualTo("no status published yet");
        assertThat(unpublished.degraded()).isNull();
        assertThat(unpublished.children()).isEmpty();
        assertThat(unpublished.state()).isEqualTo("QUIET");
        assertThat(unreadable.statusNote()).startsWith("status unreadable");
    }

    @Test
    void anInstanceSilentForLongerThanTheOwnerTimeoutIsNotLiveAndAStoppedOneNeverSilent() {
        List<Fleet.Instance> instances = List.of(
                instance("RUNNING", Duration.ofSeconds(30), null),
                instance("STOPPED", Duration.ofMinutes(30), null),
                instance("QUIET", Duration.ofSeconds(1), null),
                instance("DRAINING", Duration.ofSeconds(1), null),
                instance("RUNNING", Duration.ofSeconds(1), null));

        assertThat(InstanceRow.of(instances.get(0), JSON, STALE_AFTER)).extracting(InstanceRow::live, InstanceRow::silent)
                .containsExactly(false, true);
        assertThat(InstanceRow.of(instances.get(1), JSON, STALE_AFTER)).extracting(InstanceRow::live, InstanceRow::silent)
                .containsExactly(false, false);
        assertThat(FleetSummary.of(instances, true, STALE_AFTER))
                .isEqualTo(new FleetSummary(3, 1, 1, 1, 1, "quiet"));
        assertThat(FleetSummary.of(instances, false, STALE_AFTER).fleetState()).isEqualTo("claiming");
    }

    private static Fleet.Instance instance(String state, Duration heartbeatAge, String statusJson) {
        return new Fleet.Instance("i-1", "pod-0", "host", 42, state, STARTED, STARTED.plusSeconds(60), heartbeatAge,
                "STOPPED".equals(state) ? STARTED.plusSeconds(90) : null, false, 0, statusJson);
    }
}

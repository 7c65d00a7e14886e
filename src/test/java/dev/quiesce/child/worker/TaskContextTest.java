package dev.quiesce.child.worker;

import dev.quiesce.api.child.TaskContext;


import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskContextTest {

    private static TaskContext context(String payload) {
        return new RunningTask(new Frame.Task(7, 2, "sleep", payload));
    }

    @Test
    void readsWholeNumbersBooleansAndStringsFromThePayload() {
        TaskContext context = context("{\"ms\": 250, \"daemonize\": true, \"journal\": \"/tmp/j\", \"gone\": null}");

        assertThat(context.jobId()).isEqualTo(7);
        assertThat(context.attempt()).isEqualTo(2);
        assertThat(context.requiredLong("ms", 0, 1000)).isEqualTo(250);
        assertThat(context.optionalLong("seed", 0, 10, 3)).isEqualTo(3);
        assertThat(context.optionalLong("gone", 0, 10, 4)).isEqualTo(4);
        assertThat(context.optionalBoolean("daemonize", false)).isTrue();
        assertThat(context.optionalBoolean("missing", true)).isTrue();
        assertThat(context.optionalString("journal")).contains("/tmp/j");
        assertThat(context.optionalString("missing")).isEmpty();
    }

    @Test
    void anEmptyOrNullPayloadReadsAsAnEmptyObject() {
        assertThat(context("").payload()).isEmpty();
        assertThat(context(" null ").payload()).isEmpty();
        assertThat(context(null).payload()).isEmpty();
    }

    @Test
    void explainsAMissingOrWrongFieldLikeTheInProcessHandlers() {
        assertThatThrownBy(() -> context("{}").requiredLong("ms", 0, 86_400_000))
                .hasMessage("payload.ms is required (a whole number from 0 to 86400000)");
        assertThatThrownBy(() -> context("{\"ms\": 1.5}").requiredLong("ms", 0, 10))
                .hasMessage("payload.ms must be a whole number from 0 to 10, was 1.5");
        assertThatThrownBy(() -> context("{\"ms\": 11}").requiredLong("ms", 0, 10))
                .hasMessage("payload.ms must be a whole number from 0 to 10, was 11");
        assertThatThrownBy(() -> context("{\"ms\": \"5\"}").requiredLong("ms", 0, 10))
                .hasMessage("payload.ms must be a whole number from 0 to 10, was \"5\"");
        assertThatThrownBy(() -> context("{\"daemonize\": 1}").optionalBoolean("daemonize", false))
                .hasMessage("payload.daemonize must be true or false, was 1");
        assertThatThrownBy(() -> context("{\"journal\": 1}").optionalString("journal"))
                .hasMessage("payload.journal must be a string, was 1");
    }

    @Test
    void aMalformedPayloadFailsWhenTheTaskReadsIt() {
        TaskContext context = context("{\"ms\": }");

        assertThat(context.payloadJson()).isEqualTo("{\"ms\": }");
        assertThatThrownBy(context::payload).hasMessageStartingWith("malformed JSON payload at offset 7");
    }
}

package dev.quiesce.job;

import dev.quiesce.api.ChildJobType;
import dev.quiesce.api.JobContext;
import dev.quiesce.api.JobHandler;
import dev.quiesce.settings.InvalidConfigurationException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The registry of handlers: payload types read from declarations, and start-up failures that say what to change. */
class JobHandlersTest {

    record Resize(String image, int width) {
    }

    static class ResizeJob implements JobHandler<Resize> {
        private final String type;

        ResizeJob(String type) {
            this.type = type;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public String run(Resize payload, JobContext context) {
            return payload.image();
        }
    }

    /** A subclass that fixes nothing itself: the payload type comes from its superclass. */
    static class LargeResizeJob extends ResizeJob {
        LargeResizeJob() {
            super("large-resize");
        }
    }

    @SuppressWarnings("rawtypes")
    static class RawJob implements JobHandler {
        @Override
        public String type() {
            return "raw";
        }

        @Override
        public String run(Object payload, JobContext context) {
            return null;
        }
    }

    static class Markdown implements ChildJobType<JsonNode> {
        @Override
        public String type() {
            return "markdown";
        }
    }

    @Test
    void payloadTypesAreReadFromTheDeclarationsAlsoThroughASuperclass() {
        JobHandlers handlers = new JobHandlers(List.of(new ResizeJob("resize"), new LargeResizeJob()), List.of(new Markdown()));

        assertThat(handlers.types()).containsExactly("large-resize", "resize");
        assertThat(handlers.payloadType("resize")).isEqualTo(Resize.class);
        assertThat(handlers.payloadType("large-resize")).isEqualTo(Resize.class);
        assertThat(handlers.declaredChildTypes()).containsExactly("markdown");
        assertThat(handlers.childPayloadType("markdown")).isEqualTo(JsonNode.class);
    }

    @Test
    void twoHandlersForOneTypeFailStartUpNamingBoth() {
        assertThatThrownBy(() -> new JobHandlers(List.of(new ResizeJob("resize"), new ResizeJob("resize")), List.of()))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("Two job handlers for type 'resize'").hasMessageContaining(ResizeJob.class.getName());
    }

    @Test
    void aHandlerWithoutADeclaredPayloadTypeFailsStartUpSayingHowToDeclareIt() {
        assertThatThrownBy(() -> new JobHandlers(List.of(new RawJob()), List.of()))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("implements JobHandler<YourPayloadRecord>");
    }

    @Test
    void aTypeNameAClientCouldNotPostFailsStartUp() {
        assertThatThrownBy(() -> new JobHandlers(List.of(new ResizeJob("re size")), List.of()))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("'re size'");
        assertThatThrownBy(() -> new JobHandlers(List.of(new ResizeJob("")), List.of()))
                .isInstanceOf(InvalidConfigurationException.class);
    }
}

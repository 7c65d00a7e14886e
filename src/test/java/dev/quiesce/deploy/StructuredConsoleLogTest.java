package dev.quiesce.deploy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.OutputStreamAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.boot.logging.logback.StructuredLogEncoder;
import org.springframework.core.env.Environment;
import org.springframework.mock.env.MockEnvironment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart's {@code logging.format} values (ecs, logstash, gelf) are Spring Boot's own structured console formats
 * ({@code logging.structured.format.console}): through SLF4J and Logback, as the service logs, each line is one JSON
 * object, and a job's lines carry the MDC keys the dispatcher sets around its execution ({@code jobId},
 * {@code jobType}, see dispatch.AttemptLog) as fields of their own, so a log pipeline can select one job's lines.
 * Boot's {@link StructuredLogEncoder} is the encoder its console appender uses for that setting.
 */
class StructuredConsoleLogTest {

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final Logger logger = context.getLogger("dev.quiesce.deploy.StructuredConsoleLogTest.job");
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender = new OutputStreamAppender<>();
    private Object previousEnvironment;

    @BeforeEach
    void keepThePreviousEnvironment() {
        previousEnvironment = context.getObject(Environment.class.getName());
    }

    @AfterEach
    void detach() {
        MDC.clear();
        logger.detachAppender(appender);
        appender.stop();
        logger.setAdditive(true);
        if (previousEnvironment == null) {
            context.removeObject(Environment.class.getName());
        } else {
            context.putObject(Environment.class.getName(), previousEnvironment);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ecs", "logstash", "gelf"})
    void aFailedAttemptIsOneJsonLineCarryingTheJobsIdAndType(String format) {
        attachConsole(format);

        MDC.put("jobId", "42");
        MDC.put("jobType", "fail");
        logger.warn("Job 42 (fail) attempt 1/5 failed, will retry: java.lang.IllegalStateException: boom");
        MDC.clear();
        logger.info("after the job");

        List<String> lines = console.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(2);
        JsonNode failure = JsonMapper.builder().build().readTree(lines.getFirst());
        String prefix = format.equals("gelf") ? "_" : ""; // GELF's additional fields start with an underscore
        assertThat(text(failure, prefix + "jobId")).isEqualTo("42");
        assertThat(text(failure, prefix + "jobType")).isEqualTo("fail");
        assertThat(failure.toString()).contains("Job 42 (fail) attempt 1/5 failed, will retry: java.lang.IllegalStateException: boom");
        assertThat(lines.get(1)).contains("after the job").doesNotContain("jobId");
    }

    /** A field of the line (ECS and Logstash put MDC keys at the top level, GELF too, with its prefix). */
    private static String text(JsonNode line, String field) {
        JsonNode value = line.findValue(field);
        assertThat(value).as("field %s in a line with fields %s", field, line.propertyNames()).isNotNull();
        return value.asString();
    }

    /** What Boot's console appender does for logging.structured.format.console=<format>, on one logger only. */
    private void attachConsole(String format) {
        context.putObject(Environment.class.getName(), new MockEnvironment()
                .withProperty("spring.application.name", "quiesce"));
        StructuredLogEncoder encoder = new StructuredLogEncoder();
        encoder.setContext(context);
        encoder.setFormat(format);
        encoder.start();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setOutputStream(console);
        appender.start();
        logger.setAdditive(false);
        logger.addAppender(appender);
    }
}

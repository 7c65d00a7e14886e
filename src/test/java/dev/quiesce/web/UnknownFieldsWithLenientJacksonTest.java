package dev.quiesce.web;

import dev.quiesce.queue.JobQueue;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;

import static dev.quiesce.web.ApiTestSupport.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.verifyNoInteractions;

/** A typo in a field name is a 400 even if someone relaxes Jackson globally. */
@WebMvcTest(controllers = JobController.class,
        properties = "spring.jackson.deserialization.fail-on-unknown-properties=false")
@Import(ApiTestSupport.Handlers.class)
class UnknownFieldsWithLenientJacksonTest {

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    JobQueue jobQueue;

    @Test
    void anUnknownFieldIsStill400WhenJacksonIgnoresUnknownProperties(@Autowired ObjectMapper mapper) {
        assertThat(mapper.deserializationConfig().isEnabled(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)).isFalse();

        assertProblem(mvc.post().uri("/jobs").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"type\": \"echo\", \"maxAttempt\": 3}").exchange(),
                HttpStatus.BAD_REQUEST, "unknown field 'maxAttempt'");
        verifyNoInteractions(jobQueue);
    }
}

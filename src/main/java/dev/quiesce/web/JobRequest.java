package dev.quiesce.web;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.annotation.JsonDeserialize;

import java.time.Instant;
import java.util.Map;

/**
 * The body of {@code POST /jobs} and one element of a batch, as sent: nothing is validated or defaulted
 * here ({@link JobRequestValidator} does both). Fields a client may omit are boxed so that "absent" is visible;
 * each field takes only its own JSON type ({@link StrictScalars}), so a client's mistake is a 400, not a coercion.
 *
 * @param unknownFields every field not listed here; collected instead of ignored so that a typo such as
 *                      {@code maxAttempt} is a 400 naming it, whatever {@code spring.jackson.deserialization.
 *                      fail-on-unknown-properties} says
 */
record JobRequest(
        @JsonDeserialize(using = StrictScalars.StringField.class) String type,
        @JsonDeserialize(using = ExactJson.PayloadDeserializer.class) JsonNode payload,
        @JsonDeserialize(using = StrictScalars.IntegerField.class) Integer priority,
        @JsonDeserialize(using = StrictScalars.IntegerField.class) Integer maxAttempts,
        @JsonDeserialize(using = StrictScalars.StringField.class) String idempotencyKey,
        @JsonDeserialize(using = StrictScalars.InstantField.class) Instant runAt,
        @JsonAnySetter Map<String, JsonNode> unknownFields) {

    /** The fields a client may send, in the order the API documents them. */
    static final String KNOWN_FIELDS = "type, payload, priority, maxAttempts, idempotencyKey, runAt";
}

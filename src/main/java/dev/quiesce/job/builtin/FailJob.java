package dev.quiesce.job.builtin;

import dev.quiesce.api.JobContext;
import dev.quiesce.api.JobHandler;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/** {@code fail} {@code {"message": "..."}}: throws, so the attempt fails and is retried while attempts remain. */
@Component
@ConditionalOnBooleanProperty(BuiltinProperties.FAULT_TYPES)
class FailJob implements JobHandler<JsonNode> {

    @Override
    public String type() {
        return "fail";
    }

    @Override
    public String description() {
        return "Fault type: always throws {\"message\"}, retried with back-off until its attempts run out.";
    }

    @Override
    public void validate(JsonNode payload) {
        if (payload != null && !payload.isNull() && !payload.isObject()) {
            throw new IllegalArgumentException("payload of a 'fail' job must be a JSON object or absent");
        }
        JsonNode message = payload == null ? null : payload.get("message");
        if (message != null && !message.isNull() && !message.isString()) {
            throw new IllegalArgumentException("payload.message must be a string, was " + message);
        }
    }

    @Override
    public String run(JsonNode payload, JobContext context) {
        JsonNode message = payload == null ? null : payload.get("message");
        throw new IllegalStateException(message != null && message.isString() ? message.asString() : "failed on purpose");
    }
}

package dev.quiesce.job.builtin;

import dev.quiesce.api.JobContext;
import dev.quiesce.api.JobHandler;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * {@code fail} {@code {"message": "...", "times": N}}: throws, so the attempt fails and is retried while attempts remain;
 * with {@code times}, only its first N runs in this process fail and later ones succeed (to try a retry).
 */
@Component
@ConditionalOnBooleanProperty(BuiltinProperties.FAULT_TYPES)
class FailJob implements JobHandler<JsonNode> {

    /** Runs per job id in this process, for {@code times}; bounded by the fault jobs a test enqueues. */
    private final java.util.Map<Long, Integer> runs = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public String type() {
        return "fail";
    }

    @Override
    public String description() {
        return "Fault type: throws {\"message\"}, retried with back-off until its attempts run out; with"
                + " {\"times\": N} only its first N runs in this process fail.";
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
        JsonNode times = payload == null ? null : payload.get("times");
        if (times != null && !times.isNull() && (!times.isInt() || times.asInt() < 0)) {
            throw new IllegalArgumentException("payload.times must be a non-negative integer, was " + times);
        }
    }

    @Override
    public String run(JsonNode payload, JobContext context) {
        JsonNode times = payload == null ? null : payload.get("times");
        if (times != null && times.isInt() && runs.merge(context.jobId(), 1, Integer::sum) > times.asInt()) {
            return "succeeded after " + times.asInt() + " failed run(s)";
        }
        JsonNode message = payload == null ? null : payload.get("message");
        throw new IllegalStateException(message != null && message.isString() ? message.asString() : "failed on purpose");
    }
}

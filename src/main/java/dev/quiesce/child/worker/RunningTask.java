package dev.quiesce.child.worker;

import dev.quiesce.api.child.TaskContext;
import dev.quiesce.api.child.Json;

import java.util.Map;

/** The {@link TaskContext} of the task on the task thread, and its cancellation flag. */
final class RunningTask implements TaskContext {

    private final Frame.Task frame;
    private volatile boolean cancelled;
    private Map<String, Object> payload;

    RunningTask(Frame.Task frame) {
        this.frame = frame;
    }

    String type() {
        return frame.type();
    }

    @Override
    public long jobId() {
        return frame.jobId();
    }

    @Override
    public int attempt() {
        return frame.attempt();
    }

    @Override
    public String payloadJson() {
        return frame.payload();
    }

    @Override
    public Map<String, Object> payload() {
        if (payload == null) {
            String json = frame.payload();
            payload = json == null || json.isBlank() || json.strip().equals("null") ? Map.of() : Json.parseObject(json);
        }
        return payload;
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    void cancel() {
        cancelled = true;
    }
}

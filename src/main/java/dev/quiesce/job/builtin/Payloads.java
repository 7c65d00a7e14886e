package dev.quiesce.job.builtin;

import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Reads and checks the fields the built-in handlers take; messages are meant for the API's 400. */
final class Payloads {

    private Payloads() {
    }

    static long requiredLong(JsonNode payload, String field, long min, long max) {
        JsonNode node = payload == null ? null : payload.get(field);
        if (node == null || node.isNull()) {
            throw new IllegalArgumentException("payload." + field + " is required (a whole number from " + min + " to " + max + ")");
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < min || node.longValue() > max) {
            throw new IllegalArgumentException("payload." + field + " must be a whole number from " + min + " to " + max + ", was " + node);
        }
        return node.longValue();
    }

    static long optionalLong(JsonNode payload, String field, long min, long max, long defaultValue) {
        JsonNode node = payload == null ? null : payload.get(field);
        return node == null || node.isNull() ? defaultValue : requiredLong(payload, field, min, max);
    }

    static boolean optionalBoolean(JsonNode payload, String field, boolean defaultValue) {
        JsonNode node = payload == null ? null : payload.get(field);
        if (node == null || node.isNull()) {
            return defaultValue;
        }
        if (!node.isBoolean()) {
            throw new IllegalArgumentException("payload." + field + " must be true or false, was " + node);
        }
        return node.booleanValue();
    }

    static void requireObject(JsonNode payload, String type) {
        if (payload == null || !payload.isObject()) {
            throw new IllegalArgumentException("payload of a '" + type + "' job must be a JSON object");
        }
    }

    /** The optional {@code journal} field: an absolute file path, checked at enqueue time. */
    static void validateJournal(JsonNode payload) {
        JsonNode node = payload.get("journal");
        if (node != null && !node.isNull() && (!node.isString() || !Path.of(node.asString()).isAbsolute())) {
            throw new IllegalArgumentException("payload.journal must be an absolute file path, was " + node);
        }
    }

    /**
     * Appends the job id to the payload's journal file, if it names one. The built-in jobs do this last,
     * after their work, so that the file shows which jobs ran to completion and how often (a test of
     * exactly-once completion counts the lines).
     */
    static void appendToJournal(JsonNode payload, long jobId) throws IOException {
        JsonNode node = payload.get("journal");
        if (node != null && node.isString()) {
            Files.writeString(Path.of(node.asString()), jobId + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        }
    }
}

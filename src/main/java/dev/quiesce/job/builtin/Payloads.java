package dev.quiesce.job.builtin;

import tools.jackson.databind.JsonNode;


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
}

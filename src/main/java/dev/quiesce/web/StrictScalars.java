package dev.quiesce.web;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Reads the envelope's scalar fields exactly as the API documents them. Jackson's defaults coerce a client's
 * mistake into something else: {@code 0.5} into the integer 0, the number {@code 5} into the string "5", and an
 * empty string into "absent". Each of these would be answered 201 with a job the client did not ask for, so
 * here a field takes only its own JSON type, and the mismatch surfaces as Jackson's own exception, which
 * {@link UnreadableBody} turns into a detail naming the field.
 */
final class StrictScalars {

    private StrictScalars() {
    }

    /** An integer field: a JSON integer only (no fraction, no string), out of range reported as such. */
    static final class IntegerField extends ValueDeserializer<Integer> {
        @Override
        public Integer deserialize(JsonParser p, DeserializationContext ctxt) {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                return (Integer) ctxt.handleWeirdStringValue(Integer.class, p.getString(), "not a JSON integer");
            }
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                return (Integer) ctxt.handleUnexpectedToken(Integer.class, p);
            }
            // Throws InputCoercionException for a value beyond int: "number out of range".
            return p.getIntValue();
        }
    }

    /** A string field: a JSON string only (a number or a boolean is not turned into its text). */
    static final class StringField extends ValueDeserializer<String> {
        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return (String) ctxt.handleUnexpectedToken(String.class, p);
            }
            return p.getString();
        }
    }

    /**
     * A timestamp field: an ISO-8601 instant as a JSON string ({@code 2030-01-01T00:00:00Z}, or with an offset).
     * An empty string is a mistake, not "absent": a client that means "now" omits the field or sends null.
     */
    static final class InstantField extends ValueDeserializer<Instant> {
        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
            }
            String text = p.getString().strip();
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                // ISO-8601 with an offset may leave out the seconds (2030-01-01T10:00+02:00); Instant.parse wants them.
                try {
                    return OffsetDateTime.parse(text).toInstant();
                } catch (DateTimeParseException alsoNot) {
                    return (Instant) ctxt.handleWeirdStringValue(Instant.class, text, "not an ISO-8601 instant");
                }
            }
        }
    }
}

package dev.quiesce.child.worker;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A strict reader for the one JSON shape child tasks take: a single object whose values are strings,
 * numbers, booleans or null. It is not a JSON library (the child JVM carries none, to start fast):
 * nested objects and arrays, duplicate keys, trailing content and anything RFC 8259 forbids are
 * rejected with an {@link IllegalArgumentException} naming the offset and what was expected.
 *
 * <p>Numbers become {@link Long} when they are written as integers that fit, else {@link BigDecimal}
 * (so {@code 1.0} and {@code 1e3} are not whole numbers, as in the in-process handlers).
 */
public final class FlatJson {

    private final String text;
    private int pos;

    private FlatJson(String text) {
        this.text = text;
    }

    /** Parses {@code json}; the map keeps the document's order and may hold null values. */
    public static Map<String, Object> parseObject(String json) {
        if (json == null) {
            throw new IllegalArgumentException("malformed JSON payload: no text");
        }
        FlatJson reader = new FlatJson(json);
        Map<String, Object> object = reader.object();
        reader.skipWhitespace();
        if (reader.pos != json.length()) {
            throw reader.error("end of input after the object");
        }
        return Collections.unmodifiableMap(object);
    }

    private Map<String, Object> object() {
        skipWhitespace();
        expect('{', "'{' (the payload must be a JSON object)");
        Map<String, Object> fields = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return fields;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("a field name in double quotes");
            }
            int keyAt = pos;
            String key = string();
            if (fields.containsKey(key)) {
                pos = keyAt;
                throw error("a field other than \"" + key + "\", which is already defined");
            }
            skipWhitespace();
            expect(':', "':' after field \"" + key + "\"");
            skipWhitespace();
            fields.put(key, value(key));
            skipWhitespace();
            char next = peek();
            pos++;
            if (next == '}') {
                return fields;
            }
            if (next != ',') {
                pos--;
                throw error("',' or '}' after field \"" + key + "\"");
            }
        }
    }

    private Object value(String key) {
        char c = peek();
        return switch (c) {
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            case '{', '[' -> throw error("a string, number, boolean or null for field \"" + key
                    + "\" (nested objects and arrays are not supported)");
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("a value for field \"" + key + "\"");
            }
        };
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw error("'" + word + "'");
        }
        pos += word.length();
        return value;
    }

    private Object number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (isDigit(peek())) {
            digits();
        } else {
            throw error("a digit");
        }
        boolean integral = true;
        if (peek() == '.') {
            pos++;
            if (!isDigit(peek())) {
                throw error("a digit after the decimal point");
            }
            digits();
            integral = false;
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw error("a digit in the exponent");
            }
            digits();
            integral = false;
        }
        String literal = text.substring(start, pos);
        if (integral) {
            try {
                return Long.parseLong(literal);
            } catch (NumberFormatException e) {
                // Outside the long range: still a valid number, kept exactly below.
            }
        }
        return new BigDecimal(literal);
    }

    private void digits() {
        while (isDigit(peek())) {
            pos++;
        }
    }

    private String string() {
        pos++; // the opening quote
        StringBuilder out = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("a closing '\"'");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                pos--;
                throw error("an escaped control character (\\n, \\u0000...), not a raw one");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char escaped = pos < text.length() ? text.charAt(pos++) : '\0';
            switch (escaped) {
                case '"', '\\', '/' -> out.append(escaped);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> out.append(unicodeEscape());
                default -> {
                    pos--;
                    throw error("a valid escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
                }
            }
        }
    }

    private char unicodeEscape() {
        if (pos + 4 > text.length()) {
            throw error("four hex digits after \\u");
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(pos), 16);
            if (digit < 0) {
                throw error("a hex digit in a \\u escape");
            }
            value = value * 16 + digit;
            pos++;
        }
        return (char) value;
    }

    private void expect(char c, String what) {
        if (peek() != c) {
            throw error(what);
        }
        pos++;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private IllegalArgumentException error(String expected) {
        String found = pos >= text.length() ? "end of input" : "'" + text.charAt(pos) + "'";
        return new IllegalArgumentException("malformed JSON payload at offset " + pos + ": expected " + expected
                + ", found " + found);
    }
}

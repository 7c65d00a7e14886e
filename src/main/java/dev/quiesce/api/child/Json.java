package dev.quiesce.api.child;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON reader (RFC 8259) for child tasks, which carry no JSON library unless they bring their own: objects
 * become {@link Map}s (in document order), arrays {@link List}s, strings {@link String}s, {@code true}/{@code false}
 * {@link Boolean}s and {@code null} null. Numbers become {@link Long} when written as integers that fit, else
 * {@link BigDecimal} (so {@code 1.0} and {@code 1e3} are not whole numbers, as in the in-process handlers). The
 * results are unmodifiable. Duplicate keys, trailing content, nesting deeper than 256 and anything RFC 8259 forbids
 * are rejected with an {@link IllegalArgumentException} naming the offset and what was expected.
 */
public final class Json {

    private static final int MAX_DEPTH = 256;

    private final String text;
    private int pos;
    private int depth;

    private Json(String text) {
        this.text = text;
    }

    /** Parses any JSON document: a {@link Map}, {@link List}, {@link String}, {@link Long}, {@link BigDecimal}, {@link Boolean} or null. */
    public static Object parse(String json) {
        if (json == null) {
            throw new IllegalArgumentException("malformed JSON payload: no text");
        }
        Json reader = new Json(json);
        reader.skipWhitespace();
        Object value = reader.value(null);
        reader.skipWhitespace();
        if (reader.pos != json.length()) {
            throw reader.error("end of input after the value");
        }
        return value;
    }

    /** Parses a document that must be an object; the map keeps the document's order and may hold null values. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String json) {
        if (json == null) {
            throw new IllegalArgumentException("malformed JSON payload: no text");
        }
        Json reader = new Json(json);
        reader.skipWhitespace();
        if (reader.peek() != '{') {
            throw reader.error("'{' (the payload must be a JSON object)");
        }
        Object value = reader.value(null);
        reader.skipWhitespace();
        if (reader.pos != json.length()) {
            throw reader.error("end of input after the object");
        }
        return (Map<String, Object>) value;
    }

    private Map<String, Object> object() {
        expect('{', "'{'");
        enter();
        Map<String, Object> fields = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            depth--;
            return Collections.unmodifiableMap(fields);
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
                depth--;
                return Collections.unmodifiableMap(fields);
            }
            if (next != ',') {
                pos--;
                throw error("',' or '}' after field \"" + key + "\"");
            }
        }
    }

    private List<Object> array() {
        expect('[', "'['");
        enter();
        List<Object> items = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            depth--;
            return Collections.unmodifiableList(items);
        }
        while (true) {
            skipWhitespace();
            items.add(value(null));
            skipWhitespace();
            char next = peek();
            pos++;
            if (next == ']') {
                depth--;
                return Collections.unmodifiableList(items);
            }
            if (next != ',') {
                pos--;
                throw error("',' or ']' after an array element");
            }
        }
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error("at most " + MAX_DEPTH + " levels of nesting");
        }
    }

    private Object value(String key) {
        char c = peek();
        return switch (c) {
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            case '{' -> object();
            case '[' -> array();
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error(key == null ? "a value" : "a value for field \"" + key + "\"");
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

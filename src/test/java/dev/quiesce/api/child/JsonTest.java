package dev.quiesce.api.child;


import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class JsonTest {

    @Test
    void readsAFlatObjectOfStringsNumbersBooleansAndNulls() {
        Map<String, Object> object = Json.parseObject(
                " {\"ms\": 250, \"seed\": -9223372036854775808, \"ratio\": 0.5, \"big\": 1e3, \"huge\": 123456789012345678901234567890,"
                        + " \"daemonize\": true, \"off\": false, \"journal\": \"/tmp/j \\\"x\\\" \\u00e9\\n\", \"none\": null}\n");

        assertThat(object).containsExactly(
                entry("ms", 250L),
                entry("seed", Long.MIN_VALUE),
                entry("ratio", new BigDecimal("0.5")),
                entry("big", new BigDecimal("1e3")),
                entry("huge", new BigDecimal("123456789012345678901234567890")),
                entry("daemonize", true),
                entry("off", false),
                entry("journal", "/tmp/j \"x\" é\n"),
                entry("none", null));
    }

    @Test
    @SuppressWarnings("unchecked")
    void readsNestedObjectsAndArraysInDocumentOrder() {
        Map<String, Object> payload = Json.parseObject(
                "{\"documents\": [{\"name\": \"a.md\", \"tags\": [\"x\", null, 2]}, {\"name\": \"b.md\"}], \"options\": {\"safe\": true}}");

        assertThat(payload).containsOnlyKeys("documents", "options");
        assertThat((List<?>) payload.get("documents")).hasSize(2);
        Map<?, ?> first = (Map<?, ?>) ((List<?>) payload.get("documents")).get(0);
        assertThat(first.get("name")).isEqualTo("a.md");
        assertThat((List<Object>) first.get("tags")).containsExactly("x", null, 2L);
        assertThat(payload.get("options")).isEqualTo(Map.of("safe", true));
        assertThatThrownBy(() -> payload.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void parseReadsAnyDocumentAndParseObjectOnlyObjects() {
        assertThat(Json.parse("[1, \"two\", [3.5]]")).isEqualTo(List.of(1L, "two", List.of(new java.math.BigDecimal("3.5"))));
        assertThat(Json.parse(" null ")).isNull();
        assertThatThrownBy(() -> Json.parseObject("[1]")).hasMessageContaining("the payload must be a JSON object");
        assertThatThrownBy(() -> Json.parse("[".repeat(300) + "]".repeat(300))).hasMessageContaining("levels of nesting");
    }

    @Test
    void readsAnEmptyObject() {
        assertThat(Json.parseObject("{}")).isEmpty();
        assertThat(Json.parseObject(" { \t\r\n } ")).isEmpty();
    }

    @Test
    void decodesEveryEscape() {
        assertThat(Json.parseObject("{\"s\": \"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\ud83d\\ude00\"}"))
                .containsEntry("s", "\" \\ / \b \f \n \r \t \uD83D\uDE00");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "   ", "[]", "[1]", "\"text\"", "42", "null",
            "{", "}", "{\"a\"}", "{\"a\":}", "{\"a\": 1,}", "{\"a\": 1 \"b\": 2}", "{a: 1}", "{'a': 1}",
            "{\"a\": 1} x", "{\"a\": 1}{}", "{\"a\": {\"b\": 1, \"b\": 2}}", "{\"a\": [1,]}", "{\"a\": [1 2]}", "{\"a\": 1, \"a\": 2}",
            "{\"a\": 01}", "{\"a\": -}", "{\"a\": 1.}", "{\"a\": .5}", "{\"a\": 1e}", "{\"a\": +1}", "{\"a\": 0x10}",
            "{\"a\": NaN}", "{\"a\": Infinity}", "{\"a\": tru}", "{\"a\": nul}", "{\"a\": True}",
            "{\"a\": \"unterminated}", "{\"a\": \"bad \\x escape\"}", "{\"a\": \"\\u12\"}", "{\"a\": \"\\u12G4\"}",
            "{\"a\": \"raw\ttab\"}", "{\"a\": \"raw\nnewline\"}", "{\"a\"\u00a0: 1}"})
    void rejectsWhatIsNotAJsonObject(String json) {
        assertThatThrownBy(() -> Json.parseObject(json))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("malformed JSON payload");
    }

    @Test
    void namesWhereAndWhatWentWrong() {
        assertThatThrownBy(() -> Json.parseObject("{\"ms\": [1"))
                .hasMessage("malformed JSON payload at offset 9: expected ',' or ']' after an array element, found end of input");
        assertThatThrownBy(() -> Json.parseObject("{\"ms\": 1, \"ms\": 2}"))
                .hasMessageContaining("offset 10").hasMessageContaining("\"ms\", which is already defined");
        assertThatThrownBy(() -> Json.parseObject("{\"ms\": 1"))
                .hasMessage("malformed JSON payload at offset 8: expected ',' or '}' after field \"ms\", found end of input");
        assertThatThrownBy(() -> Json.parseObject(null)).hasMessageContaining("no text");
    }
}

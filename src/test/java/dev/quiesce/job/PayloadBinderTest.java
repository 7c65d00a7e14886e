package dev.quiesce.job;

import jakarta.validation.Valid;
import jakarta.validation.Validation;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Binding a payload to a handler's record: strict, and every refusal names the field as a client wrote it. */
class PayloadBinderTest {

    record Page(@NotBlank String name, @Min(1) @Max(500) int width) {
    }

    record Render(@NotBlank String title, @NotEmpty List<@NotNull @Valid Page> pages, boolean draft) {
    }

    enum Colour { RED, GREEN }

    record Paint(Colour colour, long count) {
    }

    private final JsonMapper mapper = JsonMapper.builder().build();
    private final PayloadBinder binder = new PayloadBinder(mapper, Validation.buildDefaultValidatorFactory().getValidator());

    @Test
    void aValidPayloadBindsToTheRecordWithNestedLists() {
        Object bound = binder.bind("render", Render.class, tree("{\"title\": \"Q3\", \"pages\": [{\"name\": \"a\", \"width\": 20}], \"draft\": false}"));

        assertThat(bound).isEqualTo(new Render("Q3", List.of(new Page("a", 20)), false));
    }

    @Test
    void beanValidationRefusalsNameTheFieldPathSortedAndJoined() {
        assertThatThrownBy(() -> binder.bind("render", Render.class,
                tree("{\"title\": \" \", \"pages\": [{\"name\": \"a\", \"width\": 20}, {\"name\": \"\", \"width\": 0}], \"draft\": true}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("payload.pages[1].name: must not be blank; payload.pages[1].width: must be greater than or equal to 1; "
                        + "payload.title: must not be blank");
    }

    @Test
    void aConstraintOnAListsElementsNamesTheElementByItsIndex() {
        assertThatThrownBy(() -> binder.bind("render", Render.class,
                tree("{\"title\": \"Q3\", \"pages\": [{\"name\": \"a\", \"width\": 20}, null], \"draft\": true}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("payload.pages[1]: must not be null");
    }

    @Test
    void jsonThatDoesNotFitTheRecordIsRefusedNamingTheFieldAndWhatItMustBe() {
        assertThat(message(Render.class, "{\"title\": \"t\", \"pages\": [], \"draft\": true, \"colour\": 1}"))
                .isEqualTo("payload.colour: unknown field; known fields: draft, pages, title");
        assertThat(message(Page.class, "{\"name\": \"a\", \"width\": \"20\"}")).isEqualTo("payload.width: must be a whole number");
        assertThat(message(Page.class, "{\"name\": \"a\", \"width\": 2.5}")).isEqualTo("payload.width: must be a whole number");
        assertThat(message(Page.class, "{\"name\": \"a\", \"width\": null}")).isEqualTo("payload.width: required, must not be null");
        assertThat(message(Page.class, "{\"name\": \"a\"}")).as("a missing primitive is not taken as 0")
                .isEqualTo("payload.width: required, must not be null");
        assertThat(message(Page.class, "{\"name\": 7, \"width\": 2}")).isEqualTo("payload.name: must be a string");
        assertThat(message(Render.class, "{\"title\": \"t\", \"pages\": {\"name\": \"a\"}, \"draft\": true}")).isEqualTo("payload.pages: must be an array");
        assertThat(message(Render.class, "{\"title\": \"t\", \"pages\": [{\"name\": \"a\", \"width\": \"x\"}], \"draft\": true}"))
                .isEqualTo("payload.pages[0].width: must be a whole number");
        assertThat(message(Paint.class, "{\"colour\": \"BLUE\", \"count\": 1}")).isEqualTo("payload.colour: must be one of RED, GREEN");
        assertThat(message(Page.class, "[1]")).isEqualTo("payload: must be an object");
    }

    @Test
    void aTypedHandlerNeedsAPayloadButARawOneTakesAnything() {
        assertThat(message(Page.class, "null")).isEqualTo("payload: required, a JSON object for a 'test' job");
        assertThatThrownBy(() -> binder.bind("test", Page.class, (JsonNode) null)).hasMessageContaining("required");

        JsonNode raw = tree("[1, {\"x\": true}]");
        assertThat(binder.bind("raw", JsonNode.class, raw)).isSameAs(raw);
        assertThat(binder.bind("raw", JsonNode.class, (JsonNode) null)).isEqualTo(tree("null"));
    }

    @Test
    void storedTextBindsAsTheTreeDoes() {
        assertThat(binder.bind("page", Page.class, "{\"name\": \"a\", \"width\": 3}")).isEqualTo(new Page("a", 3));
        assertThat(binder.toTree(new Page("b", 4))).isEqualTo(tree("{\"name\": \"b\", \"width\": 4}"));
        assertThat(binder.toTree(null).isNull()).isTrue();
    }

    private String message(Class<?> type, String json) {
        try {
            binder.bind("test", type, tree(json));
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        throw new AssertionError("bound " + json + " to " + type.getSimpleName());
    }

    private JsonNode tree(String json) {
        return mapper.readTree(json);
    }
}

package dev.quiesce.web;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.DecimalNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * Reads a job payload into a tree without losing digits. Jackson's default tree reader turns every decimal
 * into a {@code double}, so {@code 0.12345678901234567890} would be stored rounded and {@code 1e400} as
 * {@code Infinity} (not JSON at all); a payload must come back exactly as the client sent it.
 */
final class ExactJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ExactJson() {
    }

    /** Parses stored payload text for a response; text that is not JSON is embedded as a JSON string. */
    static JsonNode parse(ObjectMapper mapper, String text) {
        try (JsonParser parser = mapper.createParser(text)) {
            parser.nextToken();
            JsonNode node = read(parser);
            return parser.nextToken() == null ? node : StringNode.valueOf(text);
        } catch (JacksonException e) {
            // Safe to swallow: only the API writes payloads, as serialized JSON; a row written otherwise is
            // still shown to the client, as the string it is, rather than failing the whole response.
            return StringNode.valueOf(text);
        }
    }

    /** Reads the value at the parser's current token (the parser's nesting limits bound the recursion). */
    static JsonNode read(JsonParser p) {
        JsonToken token = p.currentToken();
        if (token == null) {
            throw new IllegalStateException("no current token");
        }
        return switch (token) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    object.set(name, read(p));
                }
                yield object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    array.add(read(p));
                }
                yield array;
            }
            case VALUE_STRING -> NODES.stringNode(p.getString());
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT -> NODES.numberNode(p.getIntValue());
                case LONG -> NODES.numberNode(p.getLongValue());
                default -> NODES.numberNode(p.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> DecimalNode.valueOf(p.getDecimalValue());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> throw new IllegalStateException("unexpected token " + token);
        };
    }

    /** Binds a request's {@code payload} field with {@link #read}. */
    static final class PayloadDeserializer extends ValueDeserializer<JsonNode> {

        @Override
        public JsonNode deserialize(JsonParser p, DeserializationContext ctxt) {
            return read(p);
        }
    }
}

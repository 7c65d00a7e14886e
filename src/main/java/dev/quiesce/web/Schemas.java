package dev.quiesce.web;

import io.swagger.v3.oas.models.media.Schema;

import java.util.Set;

/**
 * Builds schema objects for the OpenAPI document. Each sets both {@code type} (read by OpenAPI 3.0's serializer)
 * and {@code types} (3.1's), so that the document is right whichever version springdoc is told to write.
 */
final class Schemas {

    private Schemas() {
    }

    static Schema<Object> object() {
        return typed("object");
    }

    static Schema<Object> string() {
        return typed("string");
    }

    static Schema<Object> integer() {
        return typed("integer").format("int32");
    }

    static Schema<Object> int64() {
        return typed("integer").format("int64");
    }

    static Schema<Object> array(Schema<?> items) {
        return typed("array").items(items);
    }

    static Schema<Object> ref(String component) {
        return new Schema<>().$ref("#/components/schemas/" + component);
    }

    /** Any JSON value: no type at all. */
    static Schema<Object> anyValue() {
        return new Schema<>();
    }

    private static Schema<Object> typed(String type) {
        Schema<Object> schema = new Schema<>();
        schema.type(type).types(Set.of(type));
        return schema;
    }
}

package dev.quiesce.web;

import dev.quiesce.job.JobAdmission;
import dev.quiesce.job.JobTypes;
import dev.quiesce.job.NewJob;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.converter.ResolvedSchema;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.media.Discriminator;
import io.swagger.v3.oas.models.media.Schema;
import org.springdoc.core.customizers.OpenApiCustomizer;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Puts the job types into the document. {@value #JOB_REQUEST} becomes a {@code oneOf} of one request schema per
 * type ({@code SleepJobRequest}, ...), told apart by {@code type} both for generators (a discriminator with its
 * mapping) and for plain JSON Schema validation (each one's {@code type} is a one-value enum). Each names its
 * payload's schema: resolved from the handler's payload record, Bean Validation constraints included, or any JSON
 * for a raw handler ({@link JsonNode}) and an undeclared child task.
 */
final class JobTypeSchemas implements OpenApiCustomizer {

    static final String JOB_REQUEST = "JobRequest";
    static final String BATCH_REQUEST = "BatchRequest";

    private final JobTypes types;

    JobTypeSchemas(JobTypes types) {
        this.types = types;
    }

    @Override
    public void customise(OpenAPI openApi) {
        Components components = openApi.getComponents();
        boolean openApi31 = openApi.getSpecVersion() == SpecVersion.V31;
        List<Schema> branches = new ArrayList<>();
        Map<String, String> mapping = new LinkedHashMap<>();
        Set<String> names = new HashSet<>();
        for (String type : types.types()) {
            String name = unused(names, pascalCase(type) + "JobRequest");
            components.addSchemas(name, request(type, payload(type, components, openApi31)));
            branches.add(Schemas.ref(name));
            mapping.put(type, "#/components/schemas/" + name);
        }
        components.addSchemas(JOB_REQUEST, new Schema<>()
                .description("A job to enqueue: its `type` decides the schema of its `payload`.")
                .oneOf(branches)
                .discriminator(new Discriminator().propertyName("type").mapping(mapping)));
        components.addSchemas(BATCH_REQUEST, Schemas.object()
                .description("Jobs to enqueue all or nothing: every one is checked before any is written.")
                .addProperty("jobs", Schemas.array(Schemas.ref(JOB_REQUEST))
                        .minItems(1).maxItems(JobAdmission.MAX_BATCH))
                .required(List.of("jobs"))
                .additionalProperties(false));
        // A job's payload as shown is whatever its type took. swagger-core types a JsonNode property "object".
        Schema<?> job = components.getSchemas().get("JobResponse");
        if (job != null && job.getProperties() != null) {
            job.getProperties().put("payload", Schemas.anyValue().description("the payload as posted: any JSON value"));
        }
    }

    private Schema<?> request(String type, Payload payload) {
        String description = types.description(type);
        Schema<Object> typeName = Schemas.string()._enum(List.of(type));
        Schema<Object> schema = Schemas.object()
                .title(type)
                .description("A `" + type + "` job" + (description.isBlank() ? "." : ": " + description))
                .addProperty("type", typeName)
                .addProperty("payload", payload.schema())
                .addProperty("priority", Schemas.integer()
                        .minimum(BigDecimal.valueOf(JobAdmission.MIN_PRIORITY))
                        .maximum(BigDecimal.valueOf(JobAdmission.MAX_PRIORITY))
                        ._default(0).description("higher runs first"))
                .addProperty("maxAttempts", Schemas.integer()
                        .minimum(BigDecimal.valueOf(JobAdmission.MIN_MAX_ATTEMPTS))
                        .maximum(BigDecimal.valueOf(JobAdmission.MAX_MAX_ATTEMPTS))
                        ._default(NewJob.DEFAULT_MAX_ATTEMPTS).description("attempts before the job fails"))
                .addProperty("idempotencyKey", Schemas.string()
                        .minLength(1).maxLength(JobAdmission.MAX_IDEMPOTENCY_KEY_LENGTH)
                        .description("a repeat with the same key, type and payload answers the existing job (200)"))
                .addProperty("runAt", Schemas.string().format("date-time")
                        .description("not before this instant (ISO-8601); absent or past: as soon as possible"))
                .additionalProperties(false);
        schema.setRequired(payload.required() ? List.of("type", "payload") : List.of("type"));
        return schema;
    }

    /** A payload's schema, and whether the payload must be present (a record must be; raw JSON may be absent). */
    private record Payload(Schema<?> schema, boolean required) {
    }

    private Payload payload(String type, Components components, boolean openApi31) {
        Optional<Class<?>> payloadType = types.payloadType(type);
        if (payloadType.isEmpty()) {
            return new Payload(Schemas.anyValue().description("any JSON; the child task checks it when it runs"), false);
        }
        if (payloadType.get().isAssignableFrom(JsonNode.class)) {
            return new Payload(Schemas.anyValue().description("any JSON; the job checks it when it is enqueued"), false);
        }
        ResolvedSchema resolved = ModelConverters.getInstance(openApi31)
                .resolveAsResolvedSchema(new AnnotatedType(payloadType.get()).resolveAsRef(true));
        resolved.referencedSchemas.forEach((name, schema) -> {
            // The payload binder refuses fields the record does not have; say so, so clients can check it too.
            if (schema.getProperties() != null && schema.getAdditionalProperties() == null) {
                schema.additionalProperties(false);
            }
            components.getSchemas().putIfAbsent(name, schema);
        });
        return new Payload(resolved.schema, true);
    }

    /** {@code leave-open-files} → {@code LeaveOpenFiles}: the name generators would make of it anyway. */
    static String pascalCase(String type) {
        StringBuilder name = new StringBuilder();
        for (String part : type.split("[^A-Za-z0-9]+")) {
            if (!part.isEmpty()) {
                name.append(part.substring(0, 1).toUpperCase(Locale.ROOT)).append(part.substring(1));
            }
        }
        return name.isEmpty() ? "Job" : name.toString();
    }

    /**
     * Two types such as {@code a-b} and {@code a_b} make the same name; the second (in name order) gets a number.
     * Decided among the types alone, so that the document is the same however often springdoc customises it.
     */
    private static String unused(Set<String> taken, String name) {
        String candidate = name;
        for (int n = 2; !taken.add(candidate); n++) {
            candidate = name + n;
        }
        return candidate;
    }
}

package dev.quiesce.web;

import dev.quiesce.api.ChildJobType;
import dev.quiesce.api.JobContext;
import dev.quiesce.api.JobHandler;
import dev.quiesce.job.JobHandlers;
import dev.quiesce.job.JobTypes;
import dev.quiesce.job.PayloadBinder;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import jakarta.validation.Validation;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The document's job types and error answers, built from a {@link JobTypes} with every kind of type: a typed and a
 * raw handler, a declared and an undeclared child task, two names that make the same schema name.
 */
class OpenApiJobTypesTest {

    record Resize(@NotBlank String image, @Max(10_000) int width) {
    }

    record Render(@Size(min = 1, max = 3) List<String> pages) {
    }

    static final class ResizeJob implements JobHandler<Resize> {
        @Override
        public String type() {
            return "resize";
        }

        @Override
        public String description() {
            return "Resizes an image";
        }

        @Override
        public String run(Resize payload, JobContext context) {
            return null;
        }
    }

    static final class RawJob implements JobHandler<JsonNode> {
        private final String type;

        RawJob(String type) {
            this.type = type;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public String run(JsonNode payload, JobContext context) {
            return null;
        }
    }

    static final class RenderType implements ChildJobType<Render> {
        @Override
        public String type() {
            return "render";
        }
    }

    private final JobTypes types = new JobTypes(
            new JobHandlers(List.of(new ResizeJob(), new RawJob("a-b"), new RawJob("a_b")), List.of(new RenderType())),
            List.of(() -> Set.of("convert", "render")),
            new PayloadBinder(JsonMapper.builder().build(), Validation.buildDefaultValidatorFactory().getValidator()));

    @Test
    void everyJobTypeIsABranchOfJobRequestWithItsPayloadSchema() {
        JsonNode schemas = document(new JobTypeSchemas(types), false).path("components").path("schemas");

        JsonNode mapping = schemas.path("JobRequest").path("discriminator").path("mapping");
        assertThat(mapping.propertyNames()).containsExactlyInAnyOrder("a-b", "a_b", "convert", "render", "resize");
        assertThat(mapping.path("a-b").asString()).isEqualTo("#/components/schemas/ABJobRequest");
        assertThat(mapping.path("a_b").asString()).isEqualTo("#/components/schemas/ABJobRequest2");
        assertThat(schemas.path("JobRequest").path("oneOf").size()).isEqualTo(5);
        mapping.properties().forEach(type -> {
            JsonNode branch = schemas.path(type.getValue().asString().substring("#/components/schemas/".length()));
            assertThat(branch.path("properties").path("type").path("enum").toString())
                    .isEqualTo("[\"" + type.getKey() + "\"]");
        });

        assertThat(schemas.path("ResizeJobRequest").path("description").asString()).contains("Resizes an image");
        assertThat(schemas.path("Resize").path("properties").path("width").path("maximum").asInt()).isEqualTo(10_000);
        assertThat(schemas.path("RenderJobRequest").path("properties").path("payload").path("$ref").asString())
                .isEqualTo("#/components/schemas/Render");
        assertThat(schemas.path("Render").path("properties").path("pages").path("maxItems").asInt()).isEqualTo(3);
        assertThat(schemas.path("ConvertJobRequest").path("properties").path("payload").path("description").asString())
                .contains("child task");
        assertThat(schemas.path("ConvertJobRequest").path("required").toString()).isEqualTo("[\"type\"]");
        assertThat(schemas.path("BatchRequest").path("properties").path("jobs").path("items").path("$ref").asString())
                .isEqualTo("#/components/schemas/JobRequest");
    }

    @Test
    void withoutATokenNoOperationDeclares401AndEveryErrorIsAProblem() {
        JsonNode document = document(new ProblemResponses(false), true);
        JsonNode responses = document.path("paths").path("/jobs/{id}").path("get").path("responses");

        assertThat(responses.propertyNames()).containsExactlyInAnyOrder("200", "404", "500", "503");
        assertThat(responses.path("404").path("content").has("application/problem+json")).isTrue();
        assertThat(responses.path("200").path("content").isMissingNode()).isTrue();
        assertThat(document.path("components").has("securitySchemes")).isFalse();
        assertThat(document.path("paths").path("/jobs/{id}").path("get").has("security")).isFalse();
    }

    @Test
    void withATokenEveryOperationDeclares401AndTheBearerScheme() {
        JsonNode document = document(new ProblemResponses(true), true);
        JsonNode operation = document.path("paths").path("/jobs/{id}").path("get");

        assertThat(operation.path("responses").has("401")).isTrue();
        assertThat(operation.path("security").toString()).contains(ProblemResponses.BEARER);
        assertThat(document.path("components").path("securitySchemes").path(ProblemResponses.BEARER).path("scheme")
                .asString()).isEqualTo("bearer");
    }

    private static JsonNode document(org.springdoc.core.customizers.OpenApiCustomizer customizer, boolean withPath) {
        OpenAPI openApi = new OpenAPI().components(new Components().schemas(new LinkedHashMap<>())).paths(new Paths());
        if (withPath) {
            openApi.getPaths().addPathItem("/jobs/{id}", new PathItem().get(new Operation().responses(new ApiResponses()
                    .addApiResponse("200", new ApiResponse().description("the job"))
                    .addApiResponse("404", new ApiResponse().description("no such job")))));
        }
        customizer.customise(openApi);
        return JsonMapper.builder().build().readTree(Json.pretty(openApi));
    }
}

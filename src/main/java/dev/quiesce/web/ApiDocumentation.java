package dev.quiesce.web;

import dev.quiesce.job.JobTypes;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Schema;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;

import java.lang.reflect.Type;

/**
 * The jobs API's OpenAPI document, served by springdoc at {@code /v3/api-docs} (and as Swagger UI at
 * {@code /swagger-ui.html}) on the API port, so that clients can be generated from it. Both are open even when
 * {@code quiesce.api.token} is set: like the health probes, they hold no data, only the shape of the API. The
 * controller's annotations say what each operation answers; {@link ProblemResponses} adds the problem+json bodies
 * and the answers every operation shares, and {@link JobTypeSchemas} the job types and their payloads.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

    @Bean
    OpenAPI quiesceOpenApi(ObjectProvider<BuildProperties> build) {
        BuildProperties properties = build.getIfAvailable();
        return new OpenAPI().info(new Info()
                .title("Quiesce jobs API")
                .version(properties == null ? "unversioned" : properties.getVersion())
                .description("""
                        Enqueue jobs, page through them, read one with its history and stack trace, cancel, retry or delete them; see the fleet's instances and quiet or resume one or all of them; read the fleet's shutdown reports. A job request names its `type` (one of the types \
                        below, each with its own payload schema); errors are RFC 9457 `application/problem+json` \
                        whose `detail` names the field to fix. When the service runs with `quiesce.api.token`, every \
                        operation requires `Authorization: Bearer <token>` and this document says so."""));
    }

    @Bean
    OpenApiCustomizer problemResponses(ApiProperties properties) {
        return new ProblemResponses(properties.requiresToken());
    }

    @Bean
    OpenApiCustomizer jobTypeSchemas(JobTypes types) {
        return new JobTypeSchemas(types);
    }

    /**
     * A payload or result held as a Jackson 3 {@link JsonNode} is any JSON value. Without this, swagger-core (which
     * knows Jackson 2's tree, not Jackson 3's) describes the node's getters ({@code isArray}, {@code nodeType}, ...).
     */
    @Bean
    ModelConverter anyJsonValue() {
        return (type, context, chain) -> {
            Type javaType = type.getType();
            Class<?> raw = Json.mapper().constructType(javaType).getRawClass();
            if (JsonNode.class.isAssignableFrom(raw)) {
                return new Schema<>().description("any JSON value");
            }
            return chain.hasNext() ? chain.next().resolve(type, context, chain) : null;
        };
    }
}

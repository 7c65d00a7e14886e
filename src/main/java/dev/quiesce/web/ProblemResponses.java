package dev.quiesce.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.http.HttpHeaders;

import java.util.List;
import java.util.Map;

/**
 * Gives every error response of the document its RFC 9457 body ({@value #PROBLEM} schema, media type
 * {@code application/problem+json}) and adds the answers every operation shares: 500 and 503, and 401 when the
 * service runs with {@code quiesce.api.token} (with the bearer scheme as the operation's security). The statuses
 * particular to an operation (400, 404, 409, 413, 415) are declared on {@link JobController}.
 */
final class ProblemResponses implements OpenApiCustomizer {

    static final String PROBLEM = "Problem";
    static final String BEARER = "bearerToken";

    /** Every {@code type} a problem of this API carries (see {@link ApiExceptionHandler}). */
    static final List<String> PROBLEM_TYPES = List.of(ApiExceptionHandler.BLANK_TYPE.toString());

    private final boolean tokenRequired;

    ProblemResponses(boolean tokenRequired) {
        this.tokenRequired = tokenRequired;
    }

    @Override
    public void customise(OpenAPI openApi) {
        openApi.getComponents().addSchemas(PROBLEM, problemSchema());
        if (tokenRequired) {
            openApi.getComponents().addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                    .scheme("bearer").description("the value of quiesce.api.token"));
        }
        for (PathItem path : openApi.getPaths().values()) {
            for (Operation operation : path.readOperations()) {
                customise(operation);
            }
        }
    }

    private void customise(Operation operation) {
        ApiResponses responses = operation.getResponses();
        if (tokenRequired) {
            operation.addSecurityItem(new SecurityRequirement().addList(BEARER));
            responses.putIfAbsent("401", new ApiResponse()
                    .description("No bearer token, or not the right one; WWW-Authenticate carries the challenge")
                    .addHeaderObject(HttpHeaders.WWW_AUTHENTICATE, new Header().schema(Schemas.string())));
        }
        responses.putIfAbsent("500", new ApiResponse()
                .description("Unexpected error; the service log has the details"));
        responses.putIfAbsent("503", new ApiResponse()
                .description("The job queue (its database) is unavailable right now; retry later"));
        for (Map.Entry<String, ApiResponse> response : responses.entrySet()) {
            if (Integer.parseInt(response.getKey()) >= 400) {
                // Replaces what springdoc infers from the method's return type, which is the success body.
                response.getValue().content(new Content().addMediaType(
                        org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                        new MediaType().schema(Schemas.ref(PROBLEM))));
            }
        }
    }

    private static Schema<?> problemSchema() {
        return Schemas.object()
                .description("An error, as RFC 9457 problem details. The status code says what went wrong, and "
                        + "`detail` what to fix, naming the field (`jobs[2].payload.width: ...`).")
                .addProperty("type", Schemas.string().format("uri")._enum(List.copyOf(PROBLEM_TYPES))
                        .description("`about:blank` for every problem: the status code carries the meaning"))
                .addProperty("title", Schemas.string().description("the status code's reason phrase"))
                .addProperty("status", Schemas.integer().description("the HTTP status code"))
                .addProperty("detail", Schemas.string().description("what was wrong and what would be valid"))
                .addProperty("instance", Schemas.string().format("uri-reference")
                        .description("the path of the request"))
                .addProperty("existingJobId", Schemas.int64()
                        .description("409 for an idempotency key already used with another type or payload: the "
                                + "job that holds the key"))
                .required(List.of("type", "title", "status", "detail"));
    }
}

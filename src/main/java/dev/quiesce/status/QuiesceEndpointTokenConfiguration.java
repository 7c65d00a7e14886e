package dev.quiesce.status;

import dev.quiesce.web.ApiProperties;
import dev.quiesce.web.BearerToken;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import tools.jackson.databind.json.JsonMapper;

/**
 * Puts {@link QuiesceEndpointTokenFilter} in front of {@code /actuator/quiesce} on whichever server serves the
 * actuator. The management port (8081) runs in a child context that the application's filters and MVC
 * interceptors do not reach; Boot builds that context from the classes listed in
 * {@code META-INF/spring/org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration.imports},
 * and this class is listed there.
 *
 * <p>Deliberately not annotated {@code @ManagementContextConfiguration}: that annotation is a
 * {@code @Configuration}, so the application's component scan would load this class into the main context as
 * well, guarding a path that does not exist on the API port. Unannotated, Boot imports it as
 * {@code ManagementContextType.ANY}: into the child context when management has its own port, into the main
 * context when it shares the API's — the endpoint is guarded either way, and only once.
 */
class QuiesceEndpointTokenConfiguration {

    private static final EndpointId QUIESCE = EndpointId.of("quiesce");

    @Bean
    FilterRegistrationBean<QuiesceEndpointTokenFilter> quiesceEndpointTokenFilter(ApiProperties api,
            PathMappedEndpoints endpoints, JsonMapper json) {
        String token = api.token();
        FilterRegistrationBean<QuiesceEndpointTokenFilter> registration = new FilterRegistrationBean<>(
                new QuiesceEndpointTokenFilter(new BearerToken(token == null ? "" : token), json));
        String path = endpoints.getPath(QUIESCE);
        // No token, or the endpoint not exposed: nothing to guard.
        registration.setEnabled(token != null && path != null);
        if (path != null) {
            registration.addUrlPatterns(path, path + "/*");
        }
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }
}

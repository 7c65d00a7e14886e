package dev.quiesce.status;

import dev.quiesce.web.BearerToken;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Requires {@code Authorization: Bearer <token>} on {@code /actuator/quiesce} (read and write), with the same
 * check and the same 401 {@code application/problem+json} as the API's {@code /jobs}. A servlet filter rather
 * than the API's interceptor because the management server runs in a context of its own, which the API's
 * MVC configuration does not reach; see {@link QuiesceEndpointTokenConfiguration}.
 */
final class QuiesceEndpointTokenFilter extends OncePerRequestFilter {

    private final BearerToken token;
    private final JsonMapper json;

    QuiesceEndpointTokenFilter(BearerToken token, JsonMapper json) {
        this.token = token;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<BearerToken.Rejection> rejection = token.check(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (rejection.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", HttpStatus.UNAUTHORIZED.getReasonPhrase());
        problem.put("status", HttpStatus.UNAUTHORIZED.value());
        problem.put("detail", rejection.get().detail());
        problem.put("instance", request.getRequestURI());
        response.setStatus(HttpStatus.UNAUTHORIZED.value());
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, rejection.get().challenge());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(json.writeValueAsString(problem));
    }
}

package dev.quiesce.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Requires {@code Authorization: Bearer <token>} on {@code /jobs/**}. It runs before the request body is
 * read, so an unauthenticated client learns nothing about payload limits or validation. A rejection is thrown
 * as a {@link ProblemException} and rendered like every other error.
 */
final class BearerTokenInterceptor implements HandlerInterceptor {

    private final BearerToken token;

    BearerTokenInterceptor(String token) {
        this.token = new BearerToken(token);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        token.check(request.getHeader(HttpHeaders.AUTHORIZATION)).ifPresent(rejection -> {
            throw ProblemException.unauthorized(rejection.detail(), rejection.challenge());
        });
        return true;
    }
}

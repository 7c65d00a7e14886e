package dev.quiesce.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.HandlerInterceptor;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Requires {@code Authorization: Bearer <token>} on {@code /jobs/**}. It runs before the request body is
 * read, so an unauthenticated client learns nothing about payload limits or validation. A rejection is thrown
 * as a {@link ProblemException} and rendered like every other error.
 */
final class BearerTokenInterceptor implements HandlerInterceptor {

    private static final String SCHEME = "Bearer ";

    private final byte[] expectedDigest;

    BearerTokenInterceptor(String token) {
        this.expectedDigest = sha256(token);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw ProblemException.unauthorized("this endpoint requires 'Authorization: Bearer <token>'",
                    "Bearer realm=\"quiesce\"");
        }
        // Digests have equal lengths, so isEqual's constant-time comparison does not leak the token's length.
        byte[] presented = sha256(header.substring(SCHEME.length()).strip());
        if (!MessageDigest.isEqual(presented, expectedDigest)) {
            throw ProblemException.unauthorized("the bearer token is not valid",
                    "Bearer realm=\"quiesce\", error=\"invalid_token\"");
        }
        return true;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}

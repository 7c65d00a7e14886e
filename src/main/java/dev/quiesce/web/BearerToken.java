package dev.quiesce.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The check of {@code Authorization: Bearer <token>} against {@code quiesce.api.token}, shared by the API's
 * interceptor and the management port's filter (which runs in another context) so that both compare the same
 * way and say the same thing when they refuse.
 */
public final class BearerToken {

    private static final String SCHEME = "Bearer ";

    private final byte[] expectedDigest;

    public BearerToken(String token) {
        this.expectedDigest = sha256(token);
    }

    /** Empty when {@code authorization} (the header's value, may be null) carries this token; otherwise why not. */
    public Optional<Rejection> check(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Optional.of(new Rejection("this endpoint requires 'Authorization: Bearer <token>'",
                    "Bearer realm=\"quiesce\""));
        }
        // Digests have equal lengths, so isEqual's constant-time comparison does not leak the token's length.
        byte[] presented = sha256(authorization.substring(SCHEME.length()).strip());
        if (!MessageDigest.isEqual(presented, expectedDigest)) {
            return Optional.of(new Rejection("the bearer token is not valid",
                    "Bearer realm=\"quiesce\", error=\"invalid_token\""));
        }
        return Optional.empty();
    }

    /**
     * A refusal: the problem's {@code detail}, and the {@code WWW-Authenticate} challenge to answer with.
     */
    public record Rejection(String detail, String challenge) {
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}

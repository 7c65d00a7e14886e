package dev.quiesce.console;

import dev.quiesce.web.ApiProperties;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The console's two secrets: {@code quiesce.api.token} signs in as {@link ConsoleRole#OPERATOR},
 * {@code quiesce.api.read-token} as {@link ConsoleRole#VIEWER}; with no token set the console is open. Each
 * secret is also the key of the session cookies it granted ({@link ConsoleSessionCookie}), so rotating a token
 * signs out everyone it signed in.
 *
 * <p>An {@link AuthenticationProvider} bean because that is what it is, and because its presence tells Boot not to
 * create a user with a generated password (which nothing here would use).
 */
@Component
class ConsoleTokens implements AuthenticationProvider {

    private final String token;
    private final String readToken;

    ConsoleTokens(ApiProperties api) {
        this.token = api.token();
        this.readToken = api.readToken();
    }

    /** No token set: everyone may see and act (CSRF protection still applies). */
    boolean open() {
        return token == null;
    }

    /** The role {@code presented} grants. Both secrets are always compared, in constant time. */
    Optional<ConsoleRole> roleFor(String presented) {
        if (presented == null || token == null) {
            return Optional.empty();
        }
        byte[] digest = sha256(presented.strip());
        boolean operator = MessageDigest.isEqual(digest, sha256(token));
        boolean viewer = readToken != null && MessageDigest.isEqual(digest, sha256(readToken));
        if (operator) {
            return Optional.of(ConsoleRole.OPERATOR);
        }
        return viewer ? Optional.of(ConsoleRole.VIEWER) : Optional.empty();
    }

    /** The secret that grants {@code role}, which also keys its cookies; null if none is configured. */
    String keyOf(ConsoleRole role) {
        return role == ConsoleRole.OPERATOR ? token : readToken;
    }

    @Override
    public Authentication authenticate(Authentication login) {
        Object credentials = login.getCredentials();
        ConsoleRole role = roleFor(credentials == null ? null : credentials.toString())
                .orElseThrow(() -> new BadCredentialsException("the token is not valid"));
        return authenticated(role);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

    /** What a valid login or session cookie of {@code role} stands for. */
    static Authentication authenticated(ConsoleRole role) {
        return UsernamePasswordAuthenticationToken.authenticated(role.name(), null, role.authorities());
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}

package dev.quiesce.console;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Component;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * The console's session: a cookie that says which role until when, signed with HMAC-SHA256 keyed by the token that
 * granted it ({@code ROLE.EXPIRY.MAC}). Nothing is kept on the server, so every pod that has the same token accepts
 * it (a Service may send each request to another pod), and changing the token invalidates every cookie it signed.
 * HttpOnly, SameSite=Lax, Secure when the login came over HTTPS, and sent to /console only.
 */
@Component
class ConsoleSessionCookie {

    static final String NAME = "quiesce_console";

    /** A working day: an operator signs in once per shift, and a leaked cookie does not work for long. */
    static final Duration LIFETIME = Duration.ofHours(12);

    private static final String MAC = "HmacSHA256";

    private final ConsoleTokens tokens;
    private final Clock clock;

    ConsoleSessionCookie(ConsoleTokens tokens) {
        this.tokens = tokens;
        this.clock = Clock.systemUTC();
    }

    /** Signs {@code role} in: a cookie valid for {@link #LIFETIME}. */
    void issue(ConsoleRole role, HttpServletRequest request, HttpServletResponse response) {
        long expiry = clock.instant().plus(LIFETIME).getEpochSecond();
        String claims = role.name() + "." + expiry;
        write(claims + "." + signature(tokens.keyOf(role), claims), LIFETIME, request, response);
    }

    void clear(HttpServletRequest request, HttpServletResponse response) {
        write("", Duration.ZERO, request, response);
    }

    /** The role of a cookie this console signed with a token it still has, and not expired; otherwise empty. */
    Optional<ConsoleRole> read(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie cookie : cookies) {
            if (NAME.equals(cookie.getName())) {
                return verify(cookie.getValue());
            }
        }
        return Optional.empty();
    }

    Optional<ConsoleRole> verify(String value) {
        String[] parts = value == null ? new String[0] : value.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        ConsoleRole role = ConsoleRole.parse(parts[0]);
        String key = role == null ? null : tokens.keyOf(role);
        if (key == null) {
            return Optional.empty();
        }
        String claims = parts[0] + "." + parts[1];
        byte[] expected = signature(key, claims).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, parts[2].getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        long expiry;
        try {
            expiry = Long.parseLong(parts[1]);
        } catch (NumberFormatException signedButNotANumber) {
            // Only a cookie signed with our key gets here, and we write numbers: reject it all the same.
            return Optional.empty();
        }
        return clock.instant().getEpochSecond() < expiry ? Optional.of(role) : Optional.empty();
    }

    /** The MAC of {@code claims} under {@code key}, base64url. */
    static String signature(String key, String claims) {
        try {
            Mac mac = Mac.getInstance(MAC);
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), MAC));
            byte[] signature = mac.doFinal(claims.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
        }
    }

    private static void write(String value, Duration maxAge, HttpServletRequest request,
            HttpServletResponse response) {
        ConsoleCookies.write(NAME, value, maxAge, request, response);
    }
}

package dev.quiesce.console;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.view.RedirectView;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * The one-line result of the last action ("Job 42 queued again"), carried across the redirect that follows every
 * console POST. A short-lived cookie rather than a query parameter: a link cannot put words in the console's mouth,
 * a reload does not repeat the message, and nothing is kept on the server (any pod shows it). {@link ConsoleModel}
 * reads it into the page's {@code id="flash"} area and clears it.
 */
final class Flash {

    static final String COOKIE = "quiesce_flash";

    /** Long enough for the redirect to be followed, short enough that a stale message never surprises. */
    private static final Duration LIFETIME = Duration.ofSeconds(60);

    private Flash() {
    }

    /** Answers an action: 303 See Other to {@code location} (a GET), with {@code message} shown there. */
    static RedirectView redirect(String location, String message, HttpServletRequest request,
            HttpServletResponse response) {
        write(message, LIFETIME, request, response);
        RedirectView view = new RedirectView(location, true);
        view.setStatusCode(HttpStatus.SEE_OTHER);
        view.setExposeModelAttributes(false);
        return view;
    }

    /** The message left by the last action, clearing it so that a reload does not show it again. */
    static Optional<String> take(HttpServletRequest request, HttpServletResponse response) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie cookie : cookies) {
            if (COOKIE.equals(cookie.getName())) {
                write("", Duration.ZERO, request, response);
                return decode(cookie.getValue());
            }
        }
        return Optional.empty();
    }

    private static void write(String message, Duration maxAge, HttpServletRequest request,
            HttpServletResponse response) {
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(message.getBytes(StandardCharsets.UTF_8));
        ConsoleCookies.write(COOKIE, value, maxAge, request, response);
    }

    private static Optional<String> decode(String value) {
        try {
            String message = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8);
            return message.isBlank() ? Optional.empty() : Optional.of(message);
        } catch (IllegalArgumentException notBase64) {
            // Not written by us (or mangled on the way): show nothing rather than a garbled line.
            return Optional.empty();
        }
    }
}

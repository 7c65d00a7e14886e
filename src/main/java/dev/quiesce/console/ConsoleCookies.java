package dev.quiesce.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;

import java.time.Duration;

/** The console's own cookies (session, flash): only under /console, never readable by scripts, Secure over TLS. */
final class ConsoleCookies {

    private ConsoleCookies() {
    }

    static void write(String name, String value, Duration maxAge, HttpServletRequest request, HttpServletResponse response) {
        ResponseCookie cookie = ResponseCookie.from(name, value)
                .path(request.getContextPath() + "/console")
                .httpOnly(true)
                .secure(request.isSecure())
                .sameSite("Lax")
                .maxAge(maxAge)
                .build();
        response.addHeader(HttpHeaders.SET_COOKIE, cookie.toString());
    }
}

package dev.quiesce.console;

import dev.quiesce.web.ApiProperties;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The session cookie's signature, expiry and attributes, without a server. */
class ConsoleSessionCookieTest {

    private final ConsoleSessionCookie cookie =
            new ConsoleSessionCookie(new ConsoleTokens(new ApiProperties("op-secret", "view-secret")));

    @Test
    void aCookieFromAnHttpsLoginIsSecureAndReadsBackAsItsRole() {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/console/login");
        request.setSecure(true);
        MockHttpServletResponse response = new MockHttpServletResponse();

        cookie.issue(ConsoleRole.VIEWER, request, response);

        String header = response.getHeader("Set-Cookie");
        assertThat(header).startsWith(ConsoleSessionCookie.NAME + "=VIEWER.")
                .contains("Secure", "HttpOnly", "SameSite=Lax", "Path=/console")
                .doesNotContain("view-secret");
        String value = header.substring(header.indexOf('=') + 1, header.indexOf(';'));
        assertThat(cookie.verify(value)).contains(ConsoleRole.VIEWER);
    }

    @Test
    void anExpiredCookieIsRejectedThoughItsSignatureIsRight() {
        String past = String.valueOf(Instant.now().minusSeconds(1).getEpochSecond());
        String future = String.valueOf(Instant.now().plusSeconds(3600).getEpochSecond());

        assertThat(cookie.verify("OPERATOR." + past + "." + ConsoleSessionCookie.signature("op-secret", "OPERATOR." + past)))
                .isEmpty();
        assertThat(cookie.verify("OPERATOR." + future + "." + ConsoleSessionCookie.signature("op-secret", "OPERATOR." + future)))
                .contains(ConsoleRole.OPERATOR);
    }

    @Test
    void eachRoleIsSignedWithItsOwnTokenAndGarbageIsRejected() {
        String future = String.valueOf(Instant.now().plusSeconds(3600).getEpochSecond());

        assertThat(cookie.verify("OPERATOR." + future + "." + ConsoleSessionCookie.signature("view-secret", "OPERATOR." + future)))
                .as("the read-token cannot sign an operator").isEmpty();
        assertThat(cookie.verify("ADMIN." + future + "." + ConsoleSessionCookie.signature("op-secret", "ADMIN." + future)))
                .isEmpty();
        assertThat(cookie.verify("OPERATOR." + future)).isEmpty();
        assertThat(cookie.verify("")).isEmpty();
        assertThat(cookie.verify(null)).isEmpty();
    }

    @Test
    void withoutAReadTokenNoViewerCookieIsAccepted() {
        ConsoleSessionCookie operatorOnly = new ConsoleSessionCookie(new ConsoleTokens(new ApiProperties("op-secret", null)));
        String future = String.valueOf(Instant.now().plusSeconds(3600).getEpochSecond());

        assertThat(operatorOnly.verify("VIEWER." + future + "." + ConsoleSessionCookie.signature("op-secret", "VIEWER." + future)))
                .isEmpty();
    }
}

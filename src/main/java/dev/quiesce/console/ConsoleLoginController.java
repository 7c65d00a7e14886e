package dev.quiesce.console;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.view.RedirectView;

import java.util.Optional;

/**
 * Signs in with a token typed into a form: the token travels only in the POST body (never in a URL) and is never
 * logged. A valid token gets a {@link ConsoleSessionCookie}; a wrong one gets the login page again with
 * {@code id="login-error"} and 401, and learns nothing else (not whether a read-token exists, not which was close).
 */
@Controller
@ConditionalOnBooleanProperty(name = ConsoleProperties.ENABLED, matchIfMissing = true)
class ConsoleLoginController {

    private static final Logger log = LoggerFactory.getLogger(ConsoleLoginController.class);

    private final ConsoleTokens tokens;
    private final ConsoleSessionCookie sessionCookie;

    ConsoleLoginController(ConsoleTokens tokens, ConsoleSessionCookie sessionCookie) {
        this.tokens = tokens;
        this.sessionCookie = sessionCookie;
    }

    @GetMapping(ConsoleSecurityConfiguration.LOGIN)
    Object page() {
        if (tokens.open() || ConsoleRole.of(SecurityContextHolder.getContext().getAuthentication()) != null) {
            return home();
        }
        return "console/login";
    }

    @PostMapping(ConsoleSecurityConfiguration.LOGIN)
    Object login(@RequestParam(name = "token", required = false) String token, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        if (tokens.open()) {
            return home();
        }
        Optional<ConsoleRole> role = tokens.roleFor(token);
        if (role.isEmpty()) {
            log.info("Console login refused (wrong token) from {}", request.getRemoteAddr());
            response.setStatus(HttpStatus.UNAUTHORIZED.value());
            model.addAttribute("failed", true);
            return "console/login";
        }
        sessionCookie.issue(role.get(), request, response);
        log.info("Console login as {} from {}", role.get(), request.getRemoteAddr());
        return home();
    }

    private static RedirectView home() {
        RedirectView view = new RedirectView("/console", true);
        view.setStatusCode(HttpStatus.SEE_OTHER);
        view.setExposeModelAttributes(false);
        return view;
    }
}

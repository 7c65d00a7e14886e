package dev.quiesce.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.context.DeferredSecurityContext;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpRequestResponseHolder;
import org.springframework.security.web.context.SecurityContextRepository;

/**
 * Where Spring Security finds who a console request comes from: the {@link ConsoleSessionCookie}, not an
 * HttpSession. Saving does nothing: the cookie is written once, by the login ({@link ConsoleLoginController}).
 */
final class SignedCookieSecurityContextRepository implements SecurityContextRepository {

    private final ConsoleSessionCookie cookie;

    SignedCookieSecurityContextRepository(ConsoleSessionCookie cookie) {
        this.cookie = cookie;
    }

    @Override
    public DeferredSecurityContext loadDeferredContext(HttpServletRequest request) {
        SecurityContext context = load(request);
        return new DeferredSecurityContext() {
            @Override
            public SecurityContext get() {
                return context != null ? context : SecurityContextHolder.getContextHolderStrategy().createEmptyContext();
            }

            @Override
            public boolean isGenerated() {
                return context == null;
            }
        };
    }

    @Override
    @Deprecated
    public SecurityContext loadContext(HttpRequestResponseHolder holder) {
        SecurityContext context = load(holder.getRequest());
        return context != null ? context : SecurityContextHolder.getContextHolderStrategy().createEmptyContext();
    }

    @Override
    public void saveContext(SecurityContext context, HttpServletRequest request, HttpServletResponse response) {
        // The session is the signed cookie, written by the login; there is nothing to save per request.
    }

    @Override
    public boolean containsContext(HttpServletRequest request) {
        return cookie.read(request).isPresent();
    }

    private SecurityContext load(HttpServletRequest request) {
        return cookie.read(request).map(role -> {
            SecurityContext context = SecurityContextHolder.getContextHolderStrategy().createEmptyContext();
            context.setAuthentication(ConsoleTokens.authenticated(role));
            return context;
        }).orElse(null);
    }
}

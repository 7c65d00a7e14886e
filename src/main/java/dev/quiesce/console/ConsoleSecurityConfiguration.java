package dev.quiesce.console;

import dev.quiesce.web.ApiProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.savedrequest.NullRequestCache;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * The console's access rules, and only the console's: the chain matches {@code /console/**}, so the HTTP API
 * ({@code /jobs}, guarded by its bearer token) and the actuator (guarded by its own filter) behave as they did
 * before Spring Security was on the class path. Its presence also switches Boot's default chain off.
 *
 * <ul>
 *   <li>Who: the {@link SignedCookieSecurityContextRepository} (no HttpSession, any pod); with no token set,
 *       everyone is an {@link ConsoleRole#OPERATOR}.</li>
 *   <li>What: pages for {@code OPERATOR} and {@code VIEWER}, every POST (an action) for {@code OPERATOR};
 *       the login page and the style sheet for everyone.</li>
 *   <li>CSRF: a token in a cookie ({@link CookieCsrfTokenRepository}, stateless like the session) that every
 *       form sends back; htmx only ever GETs.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ApiProperties.class, ConsoleProperties.class})
class ConsoleSecurityConfiguration {

    static final String LOGIN = "/console/login";

    @Bean
    SecurityFilterChain consoleSecurityFilterChain(HttpSecurity http, ConsoleTokens tokens,
            ConsoleSessionCookie sessionCookie) throws Exception {
        CookieCsrfTokenRepository csrfTokens = new CookieCsrfTokenRepository();
        csrfTokens.setCookieCustomizer(cookie -> cookie.sameSite("Lax"));
        http.securityMatcher("/console/**")
                .securityContext(context -> context
                        .securityContextRepository(new SignedCookieSecurityContextRepository(sessionCookie)))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.requestCache(new NullRequestCache()))
                .csrf(csrf -> csrf.csrfTokenRepository(csrfTokens))
                .addFilterAfter(new CsrfCookieFilter(), CsrfFilter.class)
                .authorizeHttpRequests(authorize -> authorize
                        .requestMatchers(LOGIN, "/console/console.css").permitAll()
                        .requestMatchers(HttpMethod.POST, "/console/**").hasRole(ConsoleRole.OPERATOR.name())
                        .anyRequest().hasAnyRole(ConsoleRole.OPERATOR.name(), ConsoleRole.VIEWER.name()))
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(toLogin()))
                .logout(logout -> logout
                        .logoutUrl("/console/logout")
                        .addLogoutHandler((request, response, authentication) -> sessionCookie.clear(request, response))
                        .logoutSuccessUrl(LOGIN));
        if (tokens.open()) {
            http.anonymous(anonymous -> anonymous.principal("open").authorities(ConsoleRole.OPERATOR.authorities()));
        }
        return http.build();
    }

    /**
     * Not signed in: a page redirects to the login; an htmx poll (whose answer would be swapped into the page) gets
     * a 401 with {@code HX-Redirect}, so that htmx loads the login page as a whole.
     */
    private static AuthenticationEntryPoint toLogin() {
        LoginUrlAuthenticationEntryPoint page = new LoginUrlAuthenticationEntryPoint(LOGIN);
        return (request, response, exception) -> {
            if (request.getHeader("HX-Request") != null) {
                response.setHeader("HX-Redirect", request.getContextPath() + LOGIN);
                response.setStatus(HttpStatus.UNAUTHORIZED.value());
                return;
            }
            page.commence(request, response, exception);
        };
    }

    /**
     * Loads the CSRF token before the page renders, so that its cookie is set while the response can still take
     * headers (the token is otherwise created lazily, when a form asks for it, possibly after the first bytes went).
     */
    private static final class CsrfCookieFilter extends OncePerRequestFilter {
        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token) {
                token.getToken();
            }
            chain.doFilter(request, response);
        }
    }
}

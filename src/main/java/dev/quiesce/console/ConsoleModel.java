package dev.quiesce.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * What the layout ({@code templates/console/layout.html}) shows on every console page: the signed-in role, whether
 * it may act ({@code operator}: pages hide action buttons otherwise), the last action's {@code flash} message and the
 * {@code section} whose nav link is highlighted. Applies to the console's controllers only.
 */
@ControllerAdvice(basePackageClasses = ConsoleModel.class)
class ConsoleModel {

    /** The query parameter by which htmx asks a page for one live part instead of the whole page. */
    static final String FRAGMENT = "fragment";

    @ModelAttribute
    void addLayout(Model model, HttpServletRequest request, HttpServletResponse response) {
        ConsoleRole role = ConsoleRole.of(SecurityContextHolder.getContext().getAuthentication());
        model.addAttribute("role", role == null ? "" : role.name());
        model.addAttribute("operator", role == ConsoleRole.OPERATOR);
        model.addAttribute("section", section(request));
        // Only a whole page shows (and so consumes) the flash; a poll for a live part must leave it alone.
        boolean wholePage = "GET".equals(request.getMethod()) && request.getParameter(FRAGMENT) == null
                && request.getHeader("HX-Request") == null;
        model.addAttribute("flash", wholePage ? Flash.take(request, response).orElse("") : "");
    }

    /** The first path segment after {@code /console}: overview, jobs, instances, shutdowns (or login). */
    private static String section(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String rest = path.startsWith("/console") ? path.substring("/console".length()) : path;
        if (rest.isEmpty() || rest.equals("/")) {
            return "overview";
        }
        String first = rest.substring(1);
        int slash = first.indexOf('/');
        return slash < 0 ? first : first.substring(0, slash);
    }

}

package dev.quiesce.console;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

import java.util.List;

/**
 * What a console user may do. {@code OPERATOR} (signed in with {@code quiesce.api.token}, or anyone when no token is
 * set) sees every page and may act; {@code VIEWER} (signed in with {@code quiesce.api.read-token}) sees every page
 * and may not act: action buttons are hidden and action POSTs answer 403.
 */
enum ConsoleRole {
    OPERATOR,
    VIEWER;

    /** The Spring Security authority, {@code ROLE_OPERATOR} or {@code ROLE_VIEWER}. */
    GrantedAuthority authority() {
        return new SimpleGrantedAuthority("ROLE_" + name());
    }

    List<GrantedAuthority> authorities() {
        return List.of(authority());
    }

    /** The role {@code authentication} carries, or null (not signed in). */
    static ConsoleRole of(Authentication authentication) {
        if (authentication == null || !authentication.isAuthenticated()) {
            return null;
        }
        for (GrantedAuthority granted : authentication.getAuthorities()) {
            for (ConsoleRole role : values()) {
                if (role.authority().getAuthority().equals(granted.getAuthority())) {
                    return role;
                }
            }
        }
        return null;
    }

    /** Parses a role written by this class ({@link #name()}), null for anything else. */
    static ConsoleRole parse(String text) {
        for (ConsoleRole role : values()) {
            if (role.name().equals(text)) {
                return role;
            }
        }
        return null;
    }
}

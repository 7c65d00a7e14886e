package dev.quiesce.web;

import dev.quiesce.settings.InvalidConfigurationException;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The HTTP API's settings ({@code quiesce.api.*}).
 *
 * @param token     optional bearer token; when set, every /jobs endpoint requires
 *                  the header "Authorization: Bearer TOKEN" and answers 401 without it. A blank value counts as
 *                  unset (an empty environment variable must not demand an empty token). On the management
 *                  port it also guards /actuator/quiesce (read and write); the probes, info and
 *                  prometheus stay open. It is also the console's login (/console/login): full access.
 * @param readToken optional second secret for the console (/console/login) that shows every page and allows no
 *                  action (read-only). It needs quiesce.api.token and must differ from it. The HTTP API does not
 *                  accept it. Blank counts as unset.
 */
@ConfigurationProperties("quiesce.api")
public record ApiProperties(String token, String readToken) {

    public ApiProperties {
        if (token != null && token.isBlank()) {
            token = null;
        }
        if (readToken != null && readToken.isBlank()) {
            readToken = null;
        }
        if (readToken != null && token == null) {
            throw new InvalidConfigurationException(
                    "quiesce.api.read-token is set but quiesce.api.token is not: without a token the console is open"
                            + " to everyone with full access, and a read-only login would mean nothing.",
                    "Set quiesce.api.token too, or remove quiesce.api.read-token.");
        }
        if (readToken != null && readToken.equals(token)) {
            // Neither value is ever part of a message: they are secrets.
            throw new InvalidConfigurationException(
                    "quiesce.api.read-token is the same as quiesce.api.token: a read-only login would have full access.",
                    "Set quiesce.api.read-token to a different secret, or remove it.");
        }
    }

    boolean requiresToken() {
        return token != null;
    }
}

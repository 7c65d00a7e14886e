package dev.quiesce.web;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The HTTP API's settings ({@code quiesce.api.*}).
 *
 * @param token optional bearer token; when set, every /jobs endpoint requires
 *              the header "Authorization: Bearer TOKEN" and answers 401 without it. A blank value counts as
 *              unset (an empty environment variable must not demand an empty token). On the management
 *              port it also guards /actuator/quiesce (read and write); the probes, info and
 *              prometheus stay open.
 */
@ConfigurationProperties("quiesce.api")
public record ApiProperties(String token) {

    public ApiProperties {
        if (token != null && token.isBlank()) {
            token = null;
        }
    }

    boolean requiresToken() {
        return token != null;
    }
}

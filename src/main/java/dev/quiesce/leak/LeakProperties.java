package dev.quiesce.leak;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The shutdown leak audit ({@code quiesce.leak.*}). Each constraint's message is the value it expects.
 *
 * @param fdTolerance how many file descriptors may be open at shutdown beyond those open when the service became
 *                    ready before they count as file_descriptor leaks: libraries open and cache a few
 *                    (a log file rolled, a class path entry read late) and that is not a leak. 0 or more
 */
@Validated
@ConfigurationProperties("quiesce.leak")
public record LeakProperties(
        @Min(value = 0, message = "0 or more: the number of extra open files to tolerate at shutdown, such as 16")
        @DefaultValue("16") int fdTolerance) {
}

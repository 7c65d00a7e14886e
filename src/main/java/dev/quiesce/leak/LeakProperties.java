package dev.quiesce.leak;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The shutdown leak audit ({@code quiesce.leak.*}).
 *
 * @param fdTolerance how many file descriptors may be open at shutdown beyond those open when the service became
 *                    ready before they count as {@code file_descriptor} leaks: libraries open and cache a few
 *                    (a log file rolled, a class path entry read late) and that is not a leak
 */
@ConfigurationProperties("quiesce.leak")
public record LeakProperties(@DefaultValue("16") int fdTolerance) {

    public LeakProperties {
        if (fdTolerance < 0) {
            throw new IllegalArgumentException("quiesce.leak.fd-tolerance must be 0 or more, was " + fdTolerance
                    + "; set it to the number of extra open files to tolerate at shutdown, e.g. 16");
        }
    }
}

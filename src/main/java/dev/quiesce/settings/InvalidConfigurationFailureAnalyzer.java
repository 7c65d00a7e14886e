package dev.quiesce.settings;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Turns an {@link InvalidConfigurationException} into Boot's "APPLICATION FAILED TO START" description and action.
 * Ordered first: thrown from a properties record's constructor it arrives wrapped in a {@code BindException}, which
 * Boot's own analyzer would otherwise report as "Update your application's configuration".
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class InvalidConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidConfigurationException cause) {
        return new FailureAnalysis(cause.description(), cause.action(), cause);
    }
}

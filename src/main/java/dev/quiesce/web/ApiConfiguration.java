package dev.quiesce.web;

import dev.quiesce.queue.QueueProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Wires the API's settings and its token check. {@link QueueProperties} is enabled here too because the API
 * enforces {@code quiesce.queue.max-payload}; enabling it twice (here and in the queue) is harmless.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ApiProperties.class, QueueProperties.class})
class ApiConfiguration implements WebMvcConfigurer {

    private final ApiProperties properties;

    ApiConfiguration(ApiProperties properties) {
        this.properties = properties;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        if (properties.requiresToken()) {
            registry.addInterceptor(new BearerTokenInterceptor(properties.token()))
                    .addPathPatterns("/jobs", "/jobs/**", "/instances", "/instances/**", "/shutdowns");
        }
    }
}

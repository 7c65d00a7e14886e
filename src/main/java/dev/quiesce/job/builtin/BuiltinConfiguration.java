package dev.quiesce.job.builtin;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BuiltinProperties.class)
class BuiltinConfiguration {
}

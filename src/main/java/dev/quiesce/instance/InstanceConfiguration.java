package dev.quiesce.instance;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.net.InetAddress;
import java.net.UnknownHostException;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(InstanceProperties.class)
class InstanceConfiguration {

    @Bean(destroyMethod = "unlock")
    DataDirectory dataDirectory(InstanceProperties properties) {
        return DataDirectory.lock(properties.dataDir());
    }

    @Bean
    InstanceIdentity instanceIdentity(InstanceProperties properties, DataDirectory dataDirectory) {
        String host = hostname();
        String name = properties.instanceName() != null && !properties.instanceName().isBlank()
                ? properties.instanceName()
                : host + ":" + dataDirectory.path();
        return InstanceIdentity.create(name, host);
    }

    private static String hostname() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}

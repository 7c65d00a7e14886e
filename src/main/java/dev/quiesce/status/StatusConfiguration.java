package dev.quiesce.status;

import dev.quiesce.child.ChildPool;
import dev.quiesce.dispatch.JobDispatcher;
import dev.quiesce.instance.InstanceIdentity;
import dev.quiesce.leak.Leaks;
import dev.quiesce.shutdown.ShutdownReports;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class StatusConfiguration {

    @Bean
    QuiesceEndpoint quiesceEndpoint(InstanceIdentity identity, JobDispatcher dispatcher, ChildPool pool, Leaks leaks,
                                    ShutdownReports reports) {
        return new QuiesceEndpoint(identity, dispatcher, pool, leaks, reports);
    }
}

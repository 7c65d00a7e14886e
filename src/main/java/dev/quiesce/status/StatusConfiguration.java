package dev.quiesce.status;

import dev.quiesce.queue.Fleet;
import dev.quiesce.queue.QueueProperties;
import tools.jackson.databind.ObjectMapper;

import dev.quiesce.child.ChildPool;
import dev.quiesce.dispatch.JobDispatcher;
import dev.quiesce.instance.InstanceIdentity;
import dev.quiesce.leak.Leaks;
import dev.quiesce.shutdown.ShutdownReports;
import dev.quiesce.job.JobTypes;
import dev.quiesce.plugin.Plugins;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class StatusConfiguration {

    @Bean
    InstanceOrders instanceOrders(InstanceIdentity identity, JobDispatcher dispatcher, ChildPool pool, Fleet fleet) {
        return new InstanceOrders(identity, dispatcher, pool, fleet);
    }

    @Bean
    QuiesceEndpoint quiesceEndpoint(InstanceIdentity identity, JobDispatcher dispatcher, ChildPool pool, Leaks leaks,
                                    ShutdownReports reports, InstanceOrders orders) {
        return new QuiesceEndpoint(identity, dispatcher, pool, leaks, reports, orders);
    }

    @Bean
    InstancePublisher instancePublisher(InstanceIdentity identity, QuiesceEndpoint endpoint, InstanceOrders orders,
                                        Fleet fleet, ObjectMapper mapper, QueueProperties queue) {
        return new InstancePublisher(identity, endpoint, orders, fleet, mapper, queue.heartbeat());
    }

    @Bean
    InfoContributor jobTypesInfoContributor(JobTypes types, ObjectProvider<Plugins> plugins) {
        return new JobTypesInfoContributor(types, plugins.getIfAvailable(Plugins::none));
    }
}

package dev.quiesce.dispatch;

import dev.quiesce.child.ChildPool;
import dev.quiesce.child.ChildProperties;
import dev.quiesce.instance.DataDirectory;
import dev.quiesce.instance.InstanceIdentity;
import dev.quiesce.job.ExternalJobTypes;
import dev.quiesce.job.JobHandlers;
import dev.quiesce.job.PayloadBinder;
import dev.quiesce.leak.Leaks;
import dev.quiesce.queue.JobQueue;
import dev.quiesce.queue.QueueProperties;
import dev.quiesce.queue.WorkerRegistry;
import dev.quiesce.shutdown.ShutdownClock;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;
import java.util.Map;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({WorkerProperties.class, RoutingProperties.class})
class DispatchConfiguration {

    @Bean
    Routing routing(RoutingProperties routing, JobHandlers handlers, ChildPool pool, ChildProperties children) {
        return Routing.resolve(routing.routing(), handlers.types(), pool.taskTypes(), handlers.declaredChildTypes(), children.size() > 0);
    }

    /** Makes the child-routed types known to the API. */
    @Bean
    ExternalJobTypes childJobTypes(Routing routing) {
        return routing::childTypes;
    }

    /** The jobs' scratch directories; what a previous run left there is removed (and counted) at start-up. */
    @Bean
    ScratchDirectories scratchDirectories(DataDirectory dataDirectory, Leaks leaks) {
        ScratchDirectories scratch = new ScratchDirectories(dataDirectory.path().resolve("scratch"));
        scratch.clearPreviousRun(leaks);
        return scratch;
    }

    @Bean
    LeaseAudit leaseAudit(JobQueue queue, InstanceIdentity identity) {
        return new LeaseAudit(queue, identity);
    }

    @Bean
    JobDispatcher jobDispatcher(JobQueue queue, WorkerRegistry workers, InstanceIdentity identity, JobHandlers handlers,
                                Routing routing, ChildPool pool, PayloadBinder binder, ScratchDirectories scratch,
                                MeterRegistry registry, ShutdownClock shutdownClock, WorkerProperties worker,
                                QueueProperties queueProperties, Leaks leaks) {
        Inbox inbox = new Inbox();
        ThreadRunner threads = new ThreadRunner(worker.threads(), routing.threadTypes(), handlers, binder,
                scratch.root(), inbox::deliver, leaks);
        threads.bindMetrics(registry);
        ChildRunner children = new ChildRunner(pool, routing.childTypes(), inbox::post);
        JobMetrics metrics = new JobMetrics(registry, routing.allTypes(),
                Map.of(threads.name(), threads::inFlight, children.name(), children::inFlight));
        return new JobDispatcher(queue, workers, identity, List.of(threads, children), inbox, metrics, shutdownClock,
                worker, queueProperties, leaks);
    }
}

package dev.quiesce.dispatch;

import dev.quiesce.instance.DataDirectory;
import dev.quiesce.instance.InstanceIdentity;
import dev.quiesce.job.JobHandlers;
import dev.quiesce.queue.JobQueue;
import dev.quiesce.queue.QueueProperties;
import dev.quiesce.queue.WorkerRegistry;
import dev.quiesce.shutdown.ShutdownClock;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WorkerProperties.class)
class DispatchConfiguration {

    @Bean
    JobDispatcher jobDispatcher(JobQueue queue, WorkerRegistry workers, InstanceIdentity identity, JobHandlers handlers,
                                JsonMapper mapper, DataDirectory dataDirectory, MeterRegistry registry,
                                ShutdownClock shutdownClock, WorkerProperties worker, QueueProperties queueProperties) {
        return new JobDispatcher(queue, workers, identity, handlers, mapper, dataDirectory.path().resolve("scratch"),
                registry, shutdownClock, worker, queueProperties);
    }
}

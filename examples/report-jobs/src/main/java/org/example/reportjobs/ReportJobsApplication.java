package org.example.reportjobs;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Library mode: an ordinary Spring Boot application with {@code dev.quiesce:quiesce} on its class path. Quiesce's
 * auto-configuration brings the whole service (queue, dispatcher, child pool, HTTP API, actuator, shutdown report);
 * {@link ReportJobsAutoConfiguration} brings this project's job types. Run {@code java -jar report-jobs-1.0.0-app.jar}.
 *
 * <p>In plugin mode this class is not used: the stock service reads only the auto-configuration.
 */
@SpringBootApplication
public class ReportJobsApplication {

    public static void main(String[] args) {
        SpringApplication.run(ReportJobsApplication.class, args);
    }
}

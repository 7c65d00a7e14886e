package org.example.reportjobs;

import org.example.reportjobs.markdown.MarkdownJobType;
import org.example.reportjobs.report.ReportJob;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * This project's job types, as beans. Listed in
 * {@code META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports}, so the same jar works both
 * ways: the stock service finds it in a plugin jar, and {@link ReportJobsApplication} finds it on its own class path
 * (component scanning skips auto-configurations, so the beans are declared once, here).
 */
@AutoConfiguration
public class ReportJobsAutoConfiguration {

    /** {@code report}: runs on a job thread of the service. */
    @Bean
    @ConditionalOnMissingBean
    ReportJob reportJob() {
        return new ReportJob();
    }

    /** {@code markdown}: runs in a child JVM ({@code MarkdownTask}); this bean has its payload checked at enqueue. */
    @Bean
    @ConditionalOnMissingBean
    MarkdownJobType markdownJobType() {
        return new MarkdownJobType();
    }
}

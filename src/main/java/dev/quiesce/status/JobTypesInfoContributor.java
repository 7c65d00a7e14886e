package dev.quiesce.status;

import dev.quiesce.job.JobTypes;
import dev.quiesce.plugin.Plugins;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /actuator/info}'s {@code quiesce} section: the job types this instance accepts (with their payload class and
 * description) and the plugin jars it loaded, so that an operator sees what a deployment brought without reading logs.
 */
final class JobTypesInfoContributor implements InfoContributor {

    private final JobTypes types;
    private final Plugins plugins;

    JobTypesInfoContributor(JobTypes types, Plugins plugins) {
        this.types = types;
        this.plugins = plugins;
    }

    @Override
    public void contribute(Info.Builder builder) {
        Map<String, Object> jobTypes = new LinkedHashMap<>();
        for (String type : types.types()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("payload", types.payloadType(type).map(Class::getName).orElse("any JSON (checked by the child task)"));
            String description = types.description(type);
            if (!description.isEmpty()) {
                details.put("description", description);
            }
            jobTypes.put(type, details);
        }
        Map<String, Object> quiesce = new LinkedHashMap<>();
        quiesce.put("jobTypes", jobTypes);
        quiesce.put("plugins", plugins.jars().stream().map(Path::getFileName).map(Path::toString).toList());
        builder.withDetail("quiesce", quiesce);
    }
}

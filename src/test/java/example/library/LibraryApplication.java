package example.library;

import dev.quiesce.api.JobContext;
import dev.quiesce.api.JobHandler;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.stereotype.Component;

/** A team's own Spring Boot application with Quiesce on its class path: nothing of Quiesce is declared here. */
@SpringBootApplication
public class LibraryApplication {

    public record Shout(@NotBlank String word) {
    }

    @Component
    static class ShoutJob implements JobHandler<Shout> {
        @Override
        public String type() {
            return "shout";
        }

        @Override
        public String run(Shout payload, JobContext context) {
            return payload.word().toUpperCase(java.util.Locale.ROOT);
        }
    }
}

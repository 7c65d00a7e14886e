package dev.quiesce.fleet;

import dev.quiesce.settings.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FleetPropertiesTest {

    @Test
    void rescueWithoutTheListenerFailsStartUpNamingBothProperties() {
        assertThatThrownBy(() -> new FleetProperties(false, true, Duration.ofMillis(250), Duration.ofSeconds(5)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("quiesce.fleet.rescue is true but quiesce.fleet.listen is false")
                .hasMessageContaining("Set quiesce.fleet.rescue=false as well, or quiesce.fleet.listen=true.");
    }

    @Test
    void withoutRescueTheListenerStillChecksItsLinkEveryFewSeconds() {
        assertThat(new FleetProperties(true, false, Duration.ofMillis(250), Duration.ofSeconds(5)).tick()).isEqualTo(Duration.ofSeconds(5));
        assertThat(new FleetProperties(true, true, Duration.ofMillis(250), Duration.ofSeconds(5)).tick()).isEqualTo(Duration.ofMillis(250));
    }
}

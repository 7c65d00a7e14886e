package dev.quiesce.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment the Helm chart ({@code helm/quiesce}) gives the container, for the small budget the deploy tests
 * use: one place, so that it can later be taken from the chart's rendered output. The chart computes the pod's
 * {@code terminationGracePeriodSeconds} as the sum of the parts and passes the same parts to the service, whose
 * start-up validation then agrees with the pod: preStop 0 + drain 8 s + cancel-grace 3 s + child-stop 3 s +
 * margin 2 s = grace period 16 s.
 */
final class ChartEnvironment {

    static final Duration PRE_STOP = Duration.ZERO;
    static final Duration DRAIN = Duration.ofSeconds(8);
    static final Duration CANCEL_GRACE = Duration.ofSeconds(3);
    static final Duration CHILD_STOP = Duration.ofSeconds(3);
    static final Duration MARGIN = Duration.ofSeconds(2);
    /** The pod's terminationGracePeriodSeconds: from SIGTERM to the kubelet's SIGKILL. */
    static final Duration GRACE_PERIOD = PRE_STOP.plus(DRAIN).plus(CANCEL_GRACE).plus(CHILD_STOP).plus(MARGIN);
    static final int CHILDREN = 2;

    private ChartEnvironment() {
    }

    /**
     * The chart's variables, with the pod's paths given for where the test runs it (in the chart: {@code /data}
     * and {@code /dev/termination-log}, the container's terminationMessagePath).
     */
    static Map<String, String> variables(String dataDir, String terminationMessagePath) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUIESCE_SHUTDOWN_GRACEPERIOD", seconds(GRACE_PERIOD));
        env.put("QUIESCE_SHUTDOWN_PRESTOP", seconds(PRE_STOP));
        env.put("QUIESCE_SHUTDOWN_DRAINTIMEOUT", seconds(DRAIN));
        env.put("QUIESCE_SHUTDOWN_CANCELGRACE", seconds(CANCEL_GRACE));
        env.put("QUIESCE_SHUTDOWN_CHILDSTOPTIMEOUT", seconds(CHILD_STOP));
        env.put("QUIESCE_SHUTDOWN_MARGIN", seconds(MARGIN));
        env.put("QUIESCE_SHUTDOWN_TERMINATIONMESSAGEPATH", terminationMessagePath);
        env.put("QUIESCE_DATADIR", dataDir);
        env.put("QUIESCE_CHILDREN_SIZE", Integer.toString(CHILDREN));
        return env;
    }

    static Map<String, String> variables(Path dataDir, Path terminationMessagePath) {
        return variables(dataDir.toString(), terminationMessagePath.toString());
    }

    private static String seconds(Duration duration) {
        return duration.toSeconds() + "s";
    }
}

package dev.quiesce.instance;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * This incarnation of the instance. {@code name} is stable across restarts; {@code id} is unique per start
 * and is what owns job leases, so a lease of a previous incarnation can never be mistaken for ours.
 */
public record InstanceIdentity(String id, String name, String host, long pid) {

    public static InstanceIdentity create(String name, String host) {
        long pid = ProcessHandle.current().pid();
        String suffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        return new InstanceIdentity(host + "-" + pid + "-" + suffix, name, host, pid);
    }
}

package dev.quiesce.fleet;

import dev.quiesce.fleet.ListenerSession.OwnerLiveness;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides, check after check, which other instances are dead: an instance is dead when two checks in a row find its
 * liveness lock free, after this listener's session has seen that same lock held. Seeing it held first is what makes
 * a database restart harmless: every session and every lock vanish together, each instance reconnects with a new
 * key, and a lock this session never saw held proves nothing (an instance that does not come back is left to the
 * heartbeat). Two checks in a row give a live instance whose own listener connection dropped the time to disarm its
 * row or take a new lock. Only a dead instance that still holds running jobs is reported.
 */
final class LivenessWatch {

    /** Per instance, the key this session saw held. */
    private final Map<String, Integer> seenHeld = new HashMap<>();
    /** Per instance, the key (seen held before) that the previous check found free. */
    private final Map<String, Integer> foundFree = new HashMap<>();

    /** A new session: nothing seen yet. */
    void reset() {
        seenHeld.clear();
        foundFree.clear();
    }

    /** Takes in one check; returns the instances to rescue now. */
    List<String> dead(List<OwnerLiveness> owners) {
        List<String> dead = new ArrayList<>();
        for (OwnerLiveness owner : owners) {
            Integer held = seenHeld.get(owner.id());
            if (owner.lockHeld()) {
                seenHeld.put(owner.id(), owner.key());
                foundFree.remove(owner.id());
            } else if (held != null && held == owner.key()) {
                Integer free = foundFree.put(owner.id(), owner.key());
                if (free != null && free == owner.key() && owner.holdsJobs()) {
                    dead.add(owner.id());
                }
            }
        }
        // Instances no longer listed (stopped, disarmed, heartbeat gone stale) are forgotten.
        Set<String> listed = owners.stream().map(OwnerLiveness::id).collect(Collectors.toSet());
        seenHeld.keySet().retainAll(listed);
        foundFree.keySet().retainAll(listed);
        return dead;
    }
}

package dev.quiesce.leak;

/**
 * One look for leftovers at shutdown, in phase {@code AUDIT}, after every other phase has had its chance: a
 * capability that owns a kind of resource (threads, children, scratch directories, leases...) implements it as a
 * bean. It reclaims what it can and counts everything it finds through {@link Leaks}, skipping what is already
 * outstanding ({@link Leaks#detected} returns false for a known key).
 */
public interface LeakCheck {

    /** A short name for the log, e.g. {@code "scratch directories"}. */
    String name();

    void check(Leaks leaks);
}

package dev.quiesce.job.builtin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;

/**
 * The built-in job types (quiesce.builtin.*). sleep, sha256 and noop are always there;
 * the fault types, which exist to show and test what a shutdown does with misbehaving work, are not.
 *
 * @param faultTypes whether the fault types are registered: fail, ignore-interrupt, leave-thread,
 *                   leave-scratch, leave-open-files in-process and crash, exit,
 *                   hang, oom, garbage, spawn, stuck in child JVMs. Off in
 *                   production (the image and the chart): any API caller could crash a child or hold a thread.
 * @param journalDir the directory in which the journal field of a sleep or sha256 payload may
 *                   name a file (each completion appends the job id to it); without it, a payload with a
 *                   journal is refused. A test aid: a caller may only write files inside it.
 */
@ConfigurationProperties("quiesce.builtin")
public record BuiltinProperties(@DefaultValue("false") boolean faultTypes, Path journalDir) {

    /** The property that registers the fault types. */
    public static final String FAULT_TYPES = "quiesce.builtin.fault-types";
}

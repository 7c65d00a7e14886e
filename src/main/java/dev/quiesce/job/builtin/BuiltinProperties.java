package dev.quiesce.job.builtin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;

/**
 * The built-in job types ({@code quiesce.builtin.*}). {@code sleep}, {@code sha256} and {@code noop} are always there;
 * the fault types, which exist to show and test what a shutdown does with misbehaving work, are not.
 *
 * @param faultTypes whether the fault types are registered: {@code fail}, {@code ignore-interrupt}, {@code leave-thread},
 *                   {@code leave-scratch}, {@code leave-open-files} in-process and {@code crash}, {@code exit},
 *                   {@code hang}, {@code oom}, {@code garbage}, {@code spawn}, {@code stuck} in child JVMs. Off in
 *                   production (the image and the chart): any API caller could crash a child or hold a thread.
 * @param journalDir the directory in which the {@code journal} field of a {@code sleep} or {@code sha256} payload may
 *                   name a file (each completion appends the job id to it); without it, a payload with a
 *                   {@code journal} is refused. A test aid: a caller may only write files inside it.
 */
@ConfigurationProperties("quiesce.builtin")
public record BuiltinProperties(@DefaultValue("false") boolean faultTypes, Path journalDir) {

    /** The property that registers the fault types. */
    public static final String FAULT_TYPES = "quiesce.builtin.fault-types";
}

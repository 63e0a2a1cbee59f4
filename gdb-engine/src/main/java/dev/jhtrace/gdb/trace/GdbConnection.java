package dev.jhtrace.gdb.trace;

import dev.jhtrace.gdb.mi.GdbMi;

import java.util.function.Supplier;

/**
 * What the tracing and symbol layers need of the gdb that holds the target. {@code GdbProcess}
 * implements it, so that this package does not use the package that uses it (arrows one way).
 */
public interface GdbConnection {
    /** Timeout for ordinary commands. */
    long COMMAND_TIMEOUT_MILLIS = 15_000;

    /** The MI connection. */
    GdbMi mi();

    /** The target's process id. */
    int pid();

    /** True once gdb saw the target exit, or the target is gone. */
    boolean targetExited();

    /** True while gdb is running and attached. */
    boolean isAttached();

    /** Runs {@code action} with every thread of the target stopped, and resumes them after. */
    <T> T withAllStopped(Supplier<T> action);
}

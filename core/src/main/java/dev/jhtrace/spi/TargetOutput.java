package dev.jhtrace.spi;

/**
 * Where a launched program's standard output goes. jhtrace's own report may be on its standard output
 * (JSON read by another program), so a launch can keep the program's output off it.
 */
public enum TargetOutput {
    /** The program writes to jhtrace's standard output and standard error, as if run directly. */
    INHERIT,
    /** The program's standard output goes to jhtrace's standard error (its standard error too). */
    STDERR
}

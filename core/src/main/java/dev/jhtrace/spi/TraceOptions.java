package dev.jhtrace.spi;

/**
 * How to trace.
 *
 * @param stackDepth frames captured per event (16 by default, as {@code !htrace} does)
 * @param maxTraces  ring size for engines with a ring buffer (Windows: 128 to 131,072, a power of two); 0 for the default
 */
public record TraceOptions(int stackDepth, int maxTraces) {
    public static final TraceOptions DEFAULT = new TraceOptions(16, 0);

    public TraceOptions {
        if (stackDepth < 1 || stackDepth > 256) throw new JhtraceException(Failure.BAD_INPUT, "stack depth must be 1 to 256, not " + stackDepth);
        if (maxTraces < 0) throw new JhtraceException(Failure.BAD_INPUT, "max traces must not be negative");
    }
}

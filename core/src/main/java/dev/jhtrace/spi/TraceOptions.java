package dev.jhtrace.spi;

/**
 * How to trace.
 *
 * @param stackDepth          frames captured per event (16 by default, as {@code !htrace} does)
 * @param maxTraces           ring size for engines with a ring buffer (Windows: 128 to 131,072, a power of two); 0 for the default
 * @param sideEffectsAccepted the user accepts what turning tracing on does to a running target beyond observing it
 *                            (Windows: it then raises STATUS_INVALID_HANDLE on a bad handle; the CLI's
 *                            {@code --accept-invalid-handle-exceptions}). Engines whose tracing has such an effect
 *                            refuse to turn it on in a process they attached to without it; the others ignore it.
 */
public record TraceOptions(int stackDepth, int maxTraces, boolean sideEffectsAccepted) {
    public static final TraceOptions DEFAULT = new TraceOptions(16, 0, false);

    public TraceOptions {
        if (stackDepth < 1 || stackDepth > 256) throw new JhtraceException(Failure.BAD_INPUT, "stack depth must be 1 to 256, not " + stackDepth);
        if (maxTraces < 0) throw new JhtraceException(Failure.BAD_INPUT, "max traces must not be negative");
    }

    /** Options without the consent to side effects. */
    public TraceOptions(int stackDepth, int maxTraces) {
        this(stackDepth, maxTraces, false);
    }

    /** These options with the consent to tracing's side effects given or not. */
    public TraceOptions withSideEffectsAccepted(boolean accepted) {
        return new TraceOptions(stackDepth, maxTraces, accepted);
    }
}

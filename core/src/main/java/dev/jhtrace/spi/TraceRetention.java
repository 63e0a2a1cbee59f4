package dev.jhtrace.spi;

/**
 * How many trace events a recorder keeps in memory when nothing trims them ({@link TraceTrimming}): the
 * newest {@code maxRetainedEvents}, the older ones dropped and counted as lost. The same policy for every
 * engine, so that no engine's capture grows without bound.
 *
 * @param maxRetainedEvents events held at most, at least 1
 */
public record TraceRetention(int maxRetainedEvents) {
    /** A million events: the size of gdb's in-gdb buffer, a few tens of megabytes of interned events. */
    public static final TraceRetention DEFAULT = new TraceRetention(1_000_000);

    public TraceRetention {
        if (maxRetainedEvents < 1) throw new JhtraceException(Failure.BAD_INPUT, "max retained events must be positive, not " + maxRetainedEvents);
    }
}

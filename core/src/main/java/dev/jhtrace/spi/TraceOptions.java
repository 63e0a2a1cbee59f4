package dev.jhtrace.spi;

/**
 * How to trace.
 *
 * @param stackDepth frames captured per event (16 by default, as {@code !htrace} does)
 * @param maxTraces  ring size for engines with a ring buffer (Windows: 128 to 131,072, a power of two); 0 for the default
 * @param exitTable  for a launched command that runs to its end, the table it is judged by ({@link ExitTable#AT_EXIT} by default)
 */
public record TraceOptions(int stackDepth, int maxTraces, ExitTable exitTable) {
    public static final TraceOptions DEFAULT = new TraceOptions(16, 0);

    public TraceOptions {
        if (stackDepth < 1 || stackDepth > 256) throw new JhtraceException(Failure.BAD_INPUT, "stack depth must be 1 to 256, not " + stackDepth);
        if (maxTraces < 0) throw new JhtraceException(Failure.BAD_INPUT, "max traces must not be negative");
        if (exitTable == null) throw new JhtraceException(Failure.BAD_INPUT, "no exit table given");
    }

    /** Options judged at exit ({@link ExitTable#AT_EXIT}). */
    public TraceOptions(int stackDepth, int maxTraces) {
        this(stackDepth, maxTraces, ExitTable.AT_EXIT);
    }

    /** These options with {@code exitTable}. */
    public TraceOptions withExitTable(ExitTable exitTable) {
        return new TraceOptions(stackDepth, maxTraces, exitTable);
    }
}

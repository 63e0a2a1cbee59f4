package dev.jhtrace.spi;

import java.util.List;

/**
 * How to trace.
 *
 * @param stackDepth          frames captured per event (16 by default, as {@code !htrace} does)
 * @param maxTraces           ring size for engines with a ring buffer (Windows: 128 to 131,072, a power of two); 0 for the default
 * @param exitTable           for a launched command that runs to its end, the table it is judged by ({@link ExitTable#AT_EXIT} by default)
 * @param sideEffectsAccepted the user accepts what turning tracing on does to a running target beyond observing it
 *                            (Windows: it then raises STATUS_INVALID_HANDLE on a bad handle; the CLI's
 *                            {@code --accept-invalid-handle-exceptions}). Engines whose tracing has such an effect
 *                            refuse to turn it on in a process they attached to without it; the others ignore it.
 * @param symbolPath          where symbols are looked for first, before the engine's default: folders with separate debug
 *                            files (gdb: by build-id or debuglink) or dbgeng symbol path elements ({@code srv*C:\symbols*URL});
 *                            empty for the engine's default alone
 */
public record TraceOptions(int stackDepth, int maxTraces, ExitTable exitTable, boolean sideEffectsAccepted, List<String> symbolPath) {
    public static final TraceOptions DEFAULT = new TraceOptions(16, 0);

    public TraceOptions {
        if (stackDepth < 1 || stackDepth > 256) throw new JhtraceException(Failure.BAD_INPUT, "stack depth must be 1 to 256, not " + stackDepth);
        if (maxTraces < 0) throw new JhtraceException(Failure.BAD_INPUT, "max traces must not be negative");
        if (exitTable == null) throw new JhtraceException(Failure.BAD_INPUT, "no exit table given");
        symbolPath = List.copyOf(symbolPath);
    }

    /** Options judged at exit ({@link ExitTable#AT_EXIT}), without the consent to side effects, with the engine's default symbol path. */
    public TraceOptions(int stackDepth, int maxTraces) {
        this(stackDepth, maxTraces, ExitTable.AT_EXIT, false, List.of());
    }

    /** These options with {@code exitTable}. */
    public TraceOptions withExitTable(ExitTable exitTable) {
        return new TraceOptions(stackDepth, maxTraces, exitTable, sideEffectsAccepted, symbolPath);
    }

    /** These options with the consent to tracing's side effects given or not. */
    public TraceOptions withSideEffectsAccepted(boolean accepted) {
        return new TraceOptions(stackDepth, maxTraces, exitTable, accepted, symbolPath);
    }

    /** These options with {@code path} as the symbol path. */
    public TraceOptions withSymbolPath(List<String> path) {
        return new TraceOptions(stackDepth, maxTraces, exitTable, sideEffectsAccepted, path);
    }
}

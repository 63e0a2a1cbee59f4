package dev.jhtrace.spi;

import dev.jhtrace.model.TraceLog;

/**
 * The tracing of a source that only holds a record of a trace (an imported log, a saved session): the
 * events can be read and diffed, but nothing can be turned on or off.
 *
 * @param log  the recorded events
 * @param what what holds them, for the error message ("an imported WinDbg log")
 */
public record RecordedTracing(TraceLog log, String what) implements HandleTracing {

    /** False: nothing is tracing now. */
    @Override
    public boolean isEnabled() {
        return false;
    }

    /** @throws JhtraceException BAD_INPUT, always */
    @Override
    public void enable(TraceOptions options) {
        throw new JhtraceException(Failure.BAD_INPUT, what + " cannot trace: attach to a live process for that");
    }

    /** Nothing runs, so nothing to turn off. */
    @Override
    public void disable() {
    }
}

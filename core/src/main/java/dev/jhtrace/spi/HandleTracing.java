package dev.jhtrace.spi;

import dev.jhtrace.model.Snapshot;
import dev.jhtrace.model.TraceEvent;
import dev.jhtrace.model.TraceLog;

import java.util.List;

/** Handle tracing on one target: {@code !htrace -enable}, {@code -disable} and the trace itself. */
public interface HandleTracing {

    /** True while tracing is on (also when someone else, e.g. WinDbg or Application Verifier, turned it on). */
    boolean isEnabled();

    /** Turns tracing on. If it is already on, the existing trace is adopted, never wiped. */
    void enable(TraceOptions options);

    /** Turns tracing off. The events captured so far stay readable through {@link #log()}. */
    void disable();

    /** Every event captured since tracing was enabled, oldest first, with whether any were lost. */
    TraceLog log();

    /** The order of the newest event captured so far ({@link Snapshot#BEFORE_FIRST_EVENT} when none), without copying the log. */
    default long lastOrder() {
        return log().lastOrder();
    }

    /**
     * The events captured after {@code order}, oldest first, for callers that poll for what is new (a diff waiting for
     * threads to make progress). Tracings backed by an {@code EventRecorder} copy only those; the default copies the log.
     */
    default List<TraceEvent> eventsAfter(long order) {
        return log().after(order);
    }

    /** How many events were captured since tracing was enabled (also those a capture has since let go), without copying the log. */
    default long eventCount() {
        return log().size();
    }
}

package dev.jhtrace.model;

/**
 * A handle open now that was opened after the snapshot: one line of {@code !htrace -diff}.
 *
 * @param handle    handle value
 * @param entry     what the current handle table says of it (type, name ...), or null when there was no table
 * @param open      the most recent OPEN event for it, or null when the trace no longer has it
 * @param stackLost true when the handle is known open but its OPEN event was lost (ring wrapped, opened before tracing),
 *                  or the trace's OPEN was of another object than the one the table holds
 * @param orderingUnknown true when the trace holds several OPENs of this value with no CLOSE between them (a CLOSE
 *                  missed, or threads' events whose order cannot be known) and no object identity decided which
 *                  is the table's: {@code open} is then the newest, a guess
 */
public record OutstandingHandle(long handle, HandleEntry entry, TraceEvent open, boolean stackLost, boolean orderingUnknown) {

    /** A handle whose OPEN is known in order (or lost). */
    public OutstandingHandle(long handle, HandleEntry entry, TraceEvent open, boolean stackLost) {
        this(handle, entry, open, stackLost, false);
    }

    /** The type name, or null when unknown. */
    public String type() {
        return entry == null ? null : entry.type();
    }

    /** The object name, or null when unknown. */
    public String name() {
        return entry == null ? null : entry.name();
    }

    /** The stack that opened it, empty when unknown. */
    public StackTrace stack() {
        return open == null ? StackTrace.EMPTY : open.stack();
    }
}

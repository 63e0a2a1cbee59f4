package dev.jhtrace.model;

/**
 * A handle open now that was opened after the snapshot: one line of {@code !htrace -diff}.
 *
 * @param handle    handle value
 * @param entry     what the current handle table says of it (type, name ...), or null when there was no table
 * @param open      the most recent OPEN event for it, or null when the trace no longer has it
 * @param stackLost true when the handle is known open but its OPEN event was lost (ring wrapped, opened before tracing)
 */
public record OutstandingHandle(long handle, HandleEntry entry, TraceEvent open, boolean stackLost) {

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

package dev.jhtrace.recorder;

import dev.jhtrace.model.EventKind;
import dev.jhtrace.model.TraceEvent;

/**
 * One handle operation as an engine delivers it to an {@link EventRecorder}: nothing resolved, nothing interned.
 *
 * @param order      the engine's own position of the event (increasing), or {@link #NEXT_ORDER} to let the recorder number it
 * @param kind       OPEN, CLOSE or BADREF
 * @param handle     handle value (a file descriptor number on Linux)
 * @param pid        process the operation was made from
 * @param tid        thread the operation was made from
 * @param epochNanos time since the epoch in nanoseconds, or {@link TraceEvent#NO_TIME}
 * @param addresses  return addresses of the stack, innermost first (empty when unknown); not copied, so not to be changed after
 * @param objectId   the object the handle referred to when the engine saw the event (Linux: its inode), or
 *                   {@link TraceEvent#NO_OBJECT}
 */
public record RawEvent(long order, EventKind kind, long handle, int pid, int tid, long epochNanos, long[] addresses, long objectId) {
    /** The order of an event the recorder numbers: one after the newest it holds. */
    public static final long NEXT_ORDER = Long.MIN_VALUE;

    public RawEvent {
        if (kind == null) throw new IllegalArgumentException("kind is required");
        if (addresses == null) addresses = new long[0];
    }

    /** An event whose object the engine does not know. */
    public RawEvent(long order, EventKind kind, long handle, int pid, int tid, long epochNanos, long[] addresses) {
        this(order, kind, handle, pid, tid, epochNanos, addresses, TraceEvent.NO_OBJECT);
    }
}

package dev.jhtrace.model;

import java.time.Instant;
import java.util.Optional;

/**
 * One handle operation captured by tracing. Kept small on purpose (primitives and two shared
 * references) because captures hold millions of them.
 *
 * @param order     position in the capture, increasing with time
 * @param kind      OPEN, CLOSE or BADREF
 * @param handle    handle value (a file descriptor number on Linux)
 * @param pid       process id the operation was made from
 * @param tid       thread id the operation was made from
 * @param epochNanos time since the epoch in nanoseconds, or {@link #NO_TIME} when the source has none
 * @param stack     the stack that made the operation, innermost first ({@link StackTrace#EMPTY} when unknown)
 * @param objectId  the object the handle referred to (Linux: its inode, as {@link HandleEntry#objectId()}), or {@link #NO_OBJECT}
 * @param inferred  true when the engine did not see the operation but worked it out: the perf engine's descriptors
 *                  received with SCM_RIGHTS into memory no sample copies, credited to their receive because the kernel
 *                  gives the lowest free numbers (or, when more than one receive could have made them, to none)
 */
public record TraceEvent(long order, EventKind kind, long handle, int pid, int tid, long epochNanos, StackTrace stack, long objectId,
                         boolean inferred) {
    /** The object of an event whose source does not tell it. */
    public static final long NO_OBJECT = 0;

    /** Marks an event whose source gives no time (Windows handle traces have none). */
    public static final long NO_TIME = Long.MIN_VALUE;

    public TraceEvent {
        if (kind == null) throw new IllegalArgumentException("kind is required");
        if (stack == null) stack = StackTrace.EMPTY;
    }

    /** An event the engine saw. */
    public TraceEvent(long order, EventKind kind, long handle, int pid, int tid, long epochNanos, StackTrace stack, long objectId) {
        this(order, kind, handle, pid, tid, epochNanos, stack, objectId, false);
    }

    /** An event the engine saw, whose object is not known. */
    public TraceEvent(long order, EventKind kind, long handle, int pid, int tid, long epochNanos, StackTrace stack) {
        this(order, kind, handle, pid, tid, epochNanos, stack, NO_OBJECT);
    }

    /** This event with {@code stack} (its addresses symbolized, say), all else kept. */
    public TraceEvent withStack(StackTrace stack) {
        return new TraceEvent(order, kind, handle, pid, tid, epochNanos, stack, objectId, inferred);
    }

    /** True when both this event and {@code entry} name their object and the objects differ. */
    public boolean refersToOtherThan(HandleEntry entry) {
        return entry != null && entry.objectId() != null && objectId != NO_OBJECT && entry.objectId() != objectId;
    }

    /** The time of the operation, when the source records one. */
    public Optional<Instant> time() {
        return epochNanos == NO_TIME ? Optional.empty() : Optional.of(instant(epochNanos));
    }

    /** The instant {@code epochNanos} nanoseconds after the epoch. */
    public static Instant instant(long epochNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
    }
}

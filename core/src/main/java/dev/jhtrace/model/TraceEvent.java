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
 */
public record TraceEvent(long order, EventKind kind, long handle, int pid, int tid, long epochNanos, StackTrace stack) {

    /** Marks an event whose source gives no time (Windows handle traces have none). */
    public static final long NO_TIME = Long.MIN_VALUE;

    public TraceEvent {
        if (kind == null) throw new IllegalArgumentException("kind is required");
        if (stack == null) stack = StackTrace.EMPTY;
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

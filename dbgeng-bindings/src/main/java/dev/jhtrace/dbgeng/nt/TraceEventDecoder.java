package dev.jhtrace.dbgeng.nt;

import dev.jhtrace.model.EventKind;
import dev.jhtrace.model.TraceEvent;
import dev.jhtrace.recorder.RawEvent;

/**
 * Turns raw trace entries into the {@link RawEvent}s the recorder keeps. The kernel stores kernel and user
 * frames in one array, kernel frames first. Kernel frames are DROPPED: they can only be resolved against
 * ntoskrnl/driver symbols (which a user-mode symbol engine does not load), may be zeroed under
 * Restrict-Kernel-Address-Leaks, and would otherwise count as the "leaking frame" in grouping. The
 * number dropped is not kept. The user frames are kept in order, cut to the requested depth.
 * Immutable.
 */
public final class TraceEventDecoder {
    private final NtLayout layout;
    private final int maxDepth;

    /** @param maxDepth user frames kept per event (TraceOptions.stackDepth) */
    public TraceEventDecoder(NtLayout layout, int maxDepth) {
        this.layout = layout;
        this.maxDepth = maxDepth;
    }

    /** The event kind of an entry type. */
    public static EventKind kindOf(int type) {
        return switch (type) {
            case NtConstants.HANDLE_TRACE_DB_OPEN -> EventKind.OPEN;
            case NtConstants.HANDLE_TRACE_DB_CLOSE -> EventKind.CLOSE;
            case NtConstants.HANDLE_TRACE_DB_BADREF -> EventKind.BADREF;
            default -> throw new IllegalArgumentException("unknown handle trace entry type " + type);
        };
    }

    /** True for the entry types {@link #kindOf} knows. */
    public static boolean isKnownType(int type) {
        return type >= NtConstants.HANDLE_TRACE_DB_OPEN && type <= NtConstants.HANDLE_TRACE_DB_BADREF;
    }

    /** The user-mode return addresses of a stack, innermost first. */
    public long[] userAddresses(RawTraceEntry entry) {
        long[] user = new long[Math.min(entry.depth(), maxDepth)];
        int n = 0;
        for (int i = 0; i < entry.depth() && n < user.length; i++) {
            long address = entry.frame(i);
            if (!layout.isKernelAddress(address)) user[n++] = address;
        }
        return java.util.Arrays.copyOf(user, n);
    }

    /** The event for an entry, numbered by the recorder (the ring has no orders and no time). */
    public RawEvent event(RawTraceEntry entry) {
        return new RawEvent(RawEvent.NEXT_ORDER, kindOf(entry.type()), entry.handle(), entry.pid(), entry.tid(), TraceEvent.NO_TIME, userAddresses(entry));
    }
}
